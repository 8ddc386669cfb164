package org.nhsv2.appointment.web;

import org.axonframework.commandhandling.CommandExecutionException;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.messaging.MetaData;
import org.axonframework.messaging.responsetypes.ResponseType;
import org.axonframework.modelling.command.ConcurrencyException;
import org.axonframework.queryhandling.DefaultSubscriptionQueryResult;
import org.axonframework.queryhandling.QueryGateway;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.mockito.ArgumentCaptor;
import org.nhsv2.appointment.api.AppointmentError;
import org.nhsv2.appointment.api.AppointmentHistory;
import org.nhsv2.appointment.api.AppointmentRejection;
import org.nhsv2.appointment.api.AppointmentStatus;
import org.nhsv2.appointment.api.AppointmentView;
import org.nhsv2.appointment.api.BookAppointmentCommand;
import org.nhsv2.appointment.api.CancelAppointmentCommand;
import org.nhsv2.appointment.api.FindAppointmentHistoryQuery;
import org.nhsv2.appointment.api.FindAppointmentQuery;
import org.nhsv2.appointment.api.MarkAppointmentFulfilledCommand;
import org.nhsv2.appointment.api.MarkAppointmentNoShowCommand;
import org.nhsv2.appointment.api.RescheduleAppointmentCommand;
import org.nhsv2.appointment.config.WebSliceConfig;
import org.nhsv2.platform.api.Actor;
import org.nhsv2.platform.api.FieldChange;
import org.nhsv2.platform.api.IdempotencyKey;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.web.servlet.WebMvcTest;
import org.springframework.context.annotation.Import;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.security.oauth2.jwt.BadJwtException;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.ResultActions;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;
import org.springframework.transaction.CannotCreateTransactionException;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.net.ConnectException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;

import static java.util.concurrent.CompletableFuture.completedFuture;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.BDDMockito.given;
import static org.mockito.BDDMockito.willThrow;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.nhsv2.appointment.web.AppointmentFixture.appointment;
import static org.nhsv2.appointment.web.ProblemMatchers.invalidFields;
import static org.nhsv2.appointment.web.ProblemMatchers.problem;
import static org.nhsv2.appointment.web.ProblemMatchers.rejected;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.head;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.put;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

@WebMvcTest(controllers = AppointmentController.class)
@Import(WebSliceConfig.class)
@TestPropertySource(properties = "nhsv2.read-your-writes.timeout=200ms")
class AppointmentControllerTest {

    private static final UUID FACILITY = UUID.randomUUID();
    private static final UUID OTHER_FACILITY = UUID.randomUUID();
    /** Past by the slice's fixed clock, though still future by the wall clock. */
    private static final Instant PAST_BY_FIXED_CLOCK = WebSliceConfig.NOW.minusSeconds(3600);

    @Autowired
    MockMvc mvc;

    @MockitoBean
    CommandGateway commands;

    @MockitoBean
    QueryGateway queries;

    @MockitoBean
    JwtDecoder jwtDecoder;

    private final Caller doctor = Caller.doctorAt(FACILITY);
    private final UUID patientId = UUID.randomUUID();

    @BeforeEach
    void noAppointmentUnlessStored() {
        given(queries.query(any(FindAppointmentQuery.class), any(ResponseType.class)))
                .willReturn(completedFuture(Optional.empty()));
    }

    @Nested
    class Book {

        private ResultActions book(Caller caller, BookingBody body) throws Exception {
            return mvc.perform(booking(body).with(caller.token()));
        }

        private MockHttpServletRequestBuilder booking(BookingBody body) {
            return post("/api/appointments").contentType(MediaType.APPLICATION_JSON).content(body.json());
        }

        private BookingBody validBody() {
            return BookingBody.valid(FACILITY, patientId);
        }

        /** The projection shows the new appointment shortly after the command. */
        private void bookingAppears() {
            given(queries.subscriptionQuery(any(FindAppointmentQuery.class), any(ResponseType.class), any(ResponseType.class)))
                    .willAnswer(call -> {
                        FindAppointmentQuery query = call.getArgument(0);
                        AppointmentView booked = appointment().id(query.appointmentId()).at(FACILITY)
                                .doctor(doctor.id()).patient(patientId).view();
                        return subscription(Mono.just(Optional.empty()), Flux.just(booked));
                    });
        }

        private void bookingRejected(AppointmentRejection rejection) {
            given(queries.subscriptionQuery(any(FindAppointmentQuery.class), any(ResponseType.class), any(ResponseType.class)))
                    .willReturn(subscription(Mono.empty(), Flux.never()));
            willThrow(new CommandExecutionException("rejected", null, rejection))
                    .given(commands).sendAndWait(any(), any(MetaData.class));
        }

        @Test
        void shouldAnswer201WithLocationAndViewWhenTheBookingAppears() throws Exception {
            bookingAppears();

            ResultActions result = book(doctor, validBody());

            BookAppointmentCommand command = sentCommand(BookAppointmentCommand.class);
            result.andExpect(status().isCreated())
                    .andExpect(content().contentType(MediaType.APPLICATION_JSON))
                    .andExpect(header().string("Location", "/api/appointments/" + command.appointmentId()))
                    .andExpect(header().doesNotExist(AppointmentController.IDEMPOTENT_REPLAYED))
                    .andExpect(jsonPath("$.appointmentId").value(command.appointmentId().toString()))
                    .andExpect(jsonPath("$.facilityId").value(FACILITY.toString()))
                    .andExpect(jsonPath("$.patientId").value(patientId.toString()))
                    .andExpect(jsonPath("$.start").value("2030-01-02T09:00:00Z"))
                    .andExpect(jsonPath("$.status").value("BOOKED"));
            verify(queries).subscriptionQuery(eq(new FindAppointmentQuery(command.appointmentId())),
                    any(ResponseType.class), any(ResponseType.class));
        }

        @Test
        void shouldDefaultDoctorToCallerAndDurationTo30WhenOmitted() throws Exception {
            bookingAppears();

            book(doctor, validBody()).andExpect(status().isCreated());

            BookAppointmentCommand command = sentCommand(BookAppointmentCommand.class);
            assertThat(command.doctorId()).isEqualTo(doctor.id());
            assertThat(command.durationMinutes()).isEqualTo(30);
            assertThat(command.facilityId()).isEqualTo(FACILITY);
            assertThat(command.patientId()).isEqualTo(patientId);
            assertThat(command.patientName()).isEqualTo("Ada Lovelace");
            assertThat(command.start()).isEqualTo(AppointmentFixture.START);
            assertThat(command.reason()).isEqualTo("Check-up");
            assertThat(command.idempotencyKey()).isNull();
        }

        @Test
        void shouldPassDoctorAndDurationWhenGiven() throws Exception {
            bookingAppears();
            UUID colleague = UUID.randomUUID();

            book(doctor, validBody().with("doctorId", colleague.toString()).with("durationMinutes", 45))
                    .andExpect(status().isCreated());

            BookAppointmentCommand command = sentCommand(BookAppointmentCommand.class);
            assertThat(command.doctorId()).isEqualTo(colleague);
            assertThat(command.durationMinutes()).isEqualTo(45);
        }

        @Test
        void shouldSendTheCallerAsActorMetaDataWhenBooking() throws Exception {
            bookingAppears();

            book(doctor, validBody()).andExpect(status().isCreated());

            MetaData metaData = sentMetaData();
            assertThat(metaData).containsEntry(Actor.ID, doctor.subject())
                    .containsEntry(Actor.ROLE, "DOCTOR")
                    .containsEntry(Actor.FACILITIES, FACILITY.toString());
        }

        @Test
        void shouldAnswer202WithLocationWhenTheViewDoesNotShowTheBookingInTime() throws Exception {
            given(queries.subscriptionQuery(any(FindAppointmentQuery.class), any(ResponseType.class), any(ResponseType.class)))
                    .willReturn(subscription(Mono.empty(), Flux.never()));

            ResultActions result = book(doctor, validBody());

            BookAppointmentCommand command = sentCommand(BookAppointmentCommand.class);
            result.andExpect(status().isAccepted())
                    .andExpect(header().string("Location", "/api/appointments/" + command.appointmentId()))
                    .andExpect(content().string(""));
        }

        @Nested
        class Validation {

            @Test
            void shouldAnswer400MalformedRequestWhenBodyIsNotJson() throws Exception {
                mvc.perform(post("/api/appointments").with(doctor.token())
                                .contentType(MediaType.APPLICATION_JSON).content("{\"facilityId\": "))
                        .andExpect(problem(HttpStatus.BAD_REQUEST, "malformed-request"))
                        .andExpect(jsonPath("$.detail").value("The request body is missing or is not valid JSON"));
                verifyNoInteractions(commands);
            }

            @Test
            void shouldAnswer415WithStableTypeWhenBodyIsNotJson() throws Exception {
                mvc.perform(post("/api/appointments").with(doctor.token())
                                .contentType(MediaType.TEXT_PLAIN).content("book me in"))
                        .andExpect(problem(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "http-415"));
                verifyNoInteractions(commands);
            }

            @Test
            void shouldAnswer400MalformedRequestWhenBodyIsMissing() throws Exception {
                mvc.perform(post("/api/appointments").with(doctor.token()).contentType(MediaType.APPLICATION_JSON))
                        .andExpect(problem(HttpStatus.BAD_REQUEST, "malformed-request"));
            }

            @ParameterizedTest
            @ValueSource(strings = {"abc", "30"})
            void shouldAnswer400NamingTheFieldWhenDurationIsAString(String duration) throws Exception {
                book(doctor, validBody().with("durationMinutes", duration))
                        .andExpect(invalidFields("durationMinutes"));
                verifyNoInteractions(commands);
            }

            @Test
            void shouldAnswer400NamingTheFieldWhenDurationIsAFraction() throws Exception {
                book(doctor, validBody().with("durationMinutes", 30.5))
                        .andExpect(invalidFields("durationMinutes"));
            }

            @ParameterizedTest
            @ValueSource(strings = {"reason", "patientName"})
            void shouldAnswer400NamingTheFieldWhenTextIsANumberOrBoolean(String field) throws Exception {
                book(doctor, validBody().with(field, 42)).andExpect(invalidFields(field));
                book(doctor, validBody().with(field, true)).andExpect(invalidFields(field));
                verifyNoInteractions(commands);
            }

            @Test
            void shouldAnswer400NamingTheFieldWhenFacilityIdIsNotAUuid() throws Exception {
                book(doctor, validBody().with("facilityId", "not-a-uuid"))
                        .andExpect(invalidFields("facilityId"));
            }

            @Test
            void shouldAnswer400NamingTheFieldWhenFieldIsUnknown() throws Exception {
                book(doctor, validBody().with("priority", "urgent"))
                        .andExpect(invalidFields("priority"))
                        .andExpect(jsonPath("$.errors[0].message").value("unknown field"));
            }

            @Test
            void shouldAnswer400WhenStartIsPastByTheServiceClock() throws Exception {
                book(doctor, validBody().with("start", PAST_BY_FIXED_CLOCK.toString()))
                        .andExpect(invalidFields("start"));
                verifyNoInteractions(commands);
            }

            @ParameterizedTest
            @ValueSource(strings = {"2030-01-02T10:00:01Z", "2030-01-02T10:00:00.5Z", "2030-01-02T10:00:00.000001Z"})
            void shouldAnswer400NamingTheFieldWhenStartIsNotOnAWholeMinute(String start) throws Exception {
                book(doctor, validBody().with("start", start))
                        .andExpect(invalidFields("start"))
                        .andExpect(jsonPath("$.errors[0].message").value("must be on a whole minute (no seconds)"));
                verifyNoInteractions(commands);
            }

            @Test
            void shouldAcceptAStartWithAnOffsetOnAWholeMinute() throws Exception {
                bookingAppears();
                book(doctor, validBody().with("start", "2030-01-02T11:00:00+01:00")).andExpect(status().isCreated());
            }

            @ParameterizedTest
            @ValueSource(strings = {"2030-01-01T10:00:00", "2030-02-30T10:00:00Z", "tomorrow"})
            void shouldAnswer400NamingTheFieldWhenStartIsNotAnInstant(String start) throws Exception {
                book(doctor, validBody().with("start", start))
                        .andExpect(invalidFields("start"))
                        .andExpect(jsonPath("$.errors[0].message").value("has the wrong type or format"));
                verifyNoInteractions(commands);
            }

            @ParameterizedTest
            @ValueSource(ints = {4, 241})
            void shouldAnswer400WhenDurationIsOutOfRange(int minutes) throws Exception {
                book(doctor, validBody().with("durationMinutes", minutes))
                        .andExpect(invalidFields("durationMinutes"));
                verifyNoInteractions(commands);
            }

            @ParameterizedTest
            @ValueSource(ints = {5, 240})
            void shouldAcceptDurationWhenOnTheBounds(int minutes) throws Exception {
                bookingAppears();

                book(doctor, validBody().with("durationMinutes", minutes)).andExpect(status().isCreated());

                assertThat(sentCommand(BookAppointmentCommand.class).durationMinutes()).isEqualTo(minutes);
            }

            @Test
            void shouldAnswer400WhenPatientNameIsMissing() throws Exception {
                book(doctor, validBody().without("patientName"))
                        .andExpect(invalidFields("patientName"));
            }

            /** Bean Validation's {@code @Email} took all but the first: refused now before anything is stored. */
            @ParameterizedTest
            @ValueSource(strings = {"ada-at-example.org", "\"ada lovelace\"@example.org", "ada@localhost",
                    "ada@[192.0.2.1]"})
            void shouldAnswer400WhenPatientEmailIsNotOnePlainAddress(String address) throws Exception {
                book(doctor, validBody().with("patientEmail", address))
                        .andExpect(invalidFields("patientEmail"));
                verifyNoInteractions(commands);
            }

            @ParameterizedTest
            @ValueSource(strings = {"\u2003\u2003", "\u00a0", " \t "})
            void shouldAnswer400WhenTheNameIsOnlySpacesOfAnyKind(String name) throws Exception {
                book(doctor, validBody().with("patientName", name)).andExpect(invalidFields("patientName"));
                verifyNoInteractions(commands);
            }

            @Test
            void shouldAnswer400NamingTheCharacterWhenTheReasonHoldsAZeroWidthSpace() throws Exception {
                book(doctor, validBody().with("reason", "Check\u200b-up"))
                        .andExpect(invalidFields("reason"))
                        .andExpect(jsonPath("$.errors[0].message").value(containsString("U+200B")));
                verifyNoInteractions(commands);
            }

            @ParameterizedTest
            @ValueSource(strings = {"Ada\u0000", "\u202eAda", "Ada\nLovelace", "Ada\ufeff"})
            void shouldAnswer400WhenTheNameHoldsAControlOrInvisibleCharacter(String name) throws Exception {
                book(doctor, validBody().with("patientName", name)).andExpect(invalidFields("patientName"));
                verifyNoInteractions(commands);
            }

            @Test
            void shouldSendNormalisedTextWhenTheNameIsDecomposedAndSpacedOut() throws Exception {
                bookingAppears();

                book(doctor, validBody().with("patientName", "\u00a0Zoe\u0308\u2003\u2003Øster ")
                        .with("reason", "Cough\r\nsince Monday  ")).andExpect(status().isCreated());

                BookAppointmentCommand command = sentCommand(BookAppointmentCommand.class);
                assertThat(command.patientName()).isEqualTo("Zo\u00eb Øster");
                assertThat(command.reason()).isEqualTo("Cough\nsince Monday");
            }

            @ParameterizedTest
            @ValueSource(strings = {"2035-01-01T00:01:00Z", "+100000-01-01T00:00:00Z", "+999999999-12-31T23:59:00Z"})
            void shouldAnswer400NamingTheFieldWhenStartIsMoreThanFiveYearsAhead(String start) throws Exception {
                book(doctor, validBody().with("start", start))
                        .andExpect(invalidFields("start"))
                        .andExpect(jsonPath("$.errors[0].message").value("must be at most 5 years ahead"));
                verifyNoInteractions(commands);
            }

            @Test
            void shouldAcceptAStartExactlyFiveYearsAhead() throws Exception {
                bookingAppears();
                book(doctor, validBody().with("start", "2035-01-01T00:00:00Z")).andExpect(status().isCreated());
            }

            @Test
            void shouldAnswer413BeforeParsingWhenTheBodyIsLargerThan64KiB() throws Exception {
                mvc.perform(booking(validBody().with("reason", "x".repeat(70_000))).with(doctor.token()))
                        .andExpect(problem(HttpStatus.PAYLOAD_TOO_LARGE, "payload-too-large"))
                        .andExpect(jsonPath("$.detail").value("The request body must be at most 65536 bytes"));
                verifyNoInteractions(commands);
            }

            @Test
            void shouldAnswer400WhenTheBodyNestsDeeperThanAnyRequestNeeds() throws Exception {
                String deep = "[".repeat(40) + "]".repeat(40);
                mvc.perform(post("/api/appointments").with(doctor.token()).contentType(MediaType.APPLICATION_JSON)
                                .content("{\"reason\": " + deep + "}"))
                        .andExpect(status().isBadRequest())
                        .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON));
                verifyNoInteractions(commands);
            }

            @Test
            void shouldAnswer400WhenReasonIsLongerThan500Characters() throws Exception {
                book(doctor, validBody().with("reason", "x".repeat(501)))
                        .andExpect(invalidFields("reason"));
            }

            @Test
            void shouldAnswer400NamingEveryFieldWhenSeveralAreMissing() throws Exception {
                book(doctor, validBody().without("facilityId").without("patientId").without("start"))
                        .andExpect(invalidFields("facilityId", "patientId", "start"));
            }

            @ParameterizedTest
            @ValueSource(ints = {0, 3, 201})
            void shouldAnswer400WhenIdempotencyKeyIsBlankOrTooLong(int length) throws Exception {
                mvc.perform(booking(validBody()).with(doctor.token())
                                .header(AppointmentController.IDEMPOTENCY_KEY, length == 3 ? "   " : "k".repeat(length)))
                        .andExpect(problem(HttpStatus.BAD_REQUEST, "invalid-idempotency-key"))
                        .andExpect(jsonPath("$.title").value("Invalid Idempotency-Key"));
                verifyNoInteractions(commands);
            }

            @Test
            void shouldAcceptIdempotencyKeyWhen200CharactersLong() throws Exception {
                bookingAppears();
                String key = "k".repeat(200);

                mvc.perform(booking(validBody()).with(doctor.token()).header(AppointmentController.IDEMPOTENCY_KEY, key))
                        .andExpect(status().isCreated());

                assertThat(sentCommand(BookAppointmentCommand.class).idempotencyKey().key()).isEqualTo(key);
            }
        }

        @Nested
        class Access {

            @Test
            void shouldAnswer401WithBearerChallengeWhenNoTokenIsSent() throws Exception {
                mvc.perform(booking(validBody()))
                        .andExpect(problem(HttpStatus.UNAUTHORIZED, "unauthenticated"))
                        .andExpect(header().string("WWW-Authenticate", startsWith("Bearer")));
                verifyNoInteractions(commands);
            }

            @Test
            void shouldAnswer401WithInvalidTokenChallengeWhenTokenDoesNotDecode() throws Exception {
                given(jwtDecoder.decode(any())).willThrow(new BadJwtException("signature does not match"));

                mvc.perform(booking(validBody()).header("Authorization", "Bearer forged"))
                        .andExpect(problem(HttpStatus.UNAUTHORIZED, "unauthenticated"))
                        .andExpect(header().string("WWW-Authenticate", containsString("invalid_token")));
                verifyNoInteractions(commands);
            }

            @Test
            void shouldBookWhenBearerTokenCarriesTheDoctorRealmRole() throws Exception {
                given(jwtDecoder.decode(doctor.tokenValue())).willReturn(doctor.decoded());
                bookingAppears();

                mvc.perform(booking(validBody()).with(doctor.bearer())).andExpect(status().isCreated());

                assertThat(sentMetaData()).containsEntry(Actor.ROLE, "DOCTOR")
                        .containsEntry(Actor.FACILITIES, FACILITY.toString());
            }

            @Test
            void shouldAnswer403WhenBearerTokenCarriesOnlyThePatientRealmRole() throws Exception {
                Caller patient = Caller.patient(patientId);
                given(jwtDecoder.decode(patient.tokenValue())).willReturn(patient.decoded());

                mvc.perform(booking(validBody()).with(patient.bearer()))
                        .andExpect(problem(HttpStatus.FORBIDDEN, "forbidden"));
                verifyNoInteractions(commands);
            }

            @Test
            void shouldAnswer403WhenCallerIsAPatient() throws Exception {
                book(Caller.patient(patientId), validBody())
                        .andExpect(problem(HttpStatus.FORBIDDEN, "forbidden"))
                        .andExpect(jsonPath("$.title").value("Forbidden"));
                verifyNoInteractions(commands);
            }

            @Test
            void shouldAnswer403WhenCallerIsAnAdmin() throws Exception {
                book(Caller.admin(), validBody())
                        .andExpect(problem(HttpStatus.FORBIDDEN, "forbidden"));
                verifyNoInteractions(commands);
            }

            @Test
            void shouldAnswer403FacilityForbiddenWhenCommandSideRejectsTheFacility() throws Exception {
                bookingRejected(AppointmentRejection.of(AppointmentError.FACILITY_FORBIDDEN));

                book(doctor, validBody().with("facilityId", OTHER_FACILITY.toString()))
                        .andExpect(rejected(HttpStatus.FORBIDDEN, AppointmentError.FACILITY_FORBIDDEN));
            }
        }

        @Nested
        class Rejections {

            @Test
            void shouldAnswer409WhenDoctorIsUnavailable() throws Exception {
                bookingRejected(AppointmentRejection.of(AppointmentError.DOCTOR_UNAVAILABLE));

                book(doctor, validBody()).andExpect(rejected(HttpStatus.CONFLICT, AppointmentError.DOCTOR_UNAVAILABLE));
            }

            @Test
            void shouldAnswer409WhenPatientIsUnavailable() throws Exception {
                bookingRejected(AppointmentRejection.of(AppointmentError.PATIENT_UNAVAILABLE));

                book(doctor, validBody()).andExpect(rejected(HttpStatus.CONFLICT, AppointmentError.PATIENT_UNAVAILABLE));
            }

            @Test
            void shouldAnswer409WhenIdempotencyKeyWasUsedWithAnotherRequest() throws Exception {
                bookingRejected(AppointmentRejection.of(AppointmentError.IDEMPOTENCY_KEY_REUSED));

                mvc.perform(booking(validBody()).with(doctor.token()).header(AppointmentController.IDEMPOTENCY_KEY, "k-1"))
                        .andExpect(rejected(HttpStatus.CONFLICT, AppointmentError.IDEMPOTENCY_KEY_REUSED));
            }

            @Test
            void shouldAnswer422WhenFacilityIsUnknown() throws Exception {
                bookingRejected(AppointmentRejection.of(AppointmentError.UNKNOWN_FACILITY));

                book(doctor, validBody())
                        .andExpect(rejected(HttpStatus.UNPROCESSABLE_ENTITY, AppointmentError.UNKNOWN_FACILITY));
            }

            @Test
            void shouldAnswer422WithTheRejectionDetailWhenDoctorIsNotInFacility() throws Exception {
                bookingRejected(new AppointmentRejection(AppointmentError.DOCTOR_NOT_IN_FACILITY,
                        "Doctor x does not work at facility y", null));

                book(doctor, validBody())
                        .andExpect(problem(HttpStatus.UNPROCESSABLE_ENTITY, "doctor-not-in-facility"))
                        .andExpect(jsonPath("$.detail").value("Doctor x does not work at facility y"));
            }

            @Test
            void shouldAnswer500WithoutInternalsWhenCommandFailsWithoutRejection() throws Exception {
                given(queries.subscriptionQuery(any(FindAppointmentQuery.class), any(ResponseType.class), any(ResponseType.class)))
                        .willReturn(subscription(Mono.empty(), Flux.never()));
                willThrow(new CommandExecutionException("database on fire", new IllegalStateException("secret")))
                        .given(commands).sendAndWait(any(), any(MetaData.class));

                book(doctor, validBody())
                        .andExpect(problem(HttpStatus.INTERNAL_SERVER_ERROR, "internal-error"))
                        .andExpect(content().string(not(containsString("fire"))))
                        .andExpect(content().string(not(containsString("secret"))));
            }

            @Test
            void shouldAnswer503WithRetryAfterWhenTheDatabaseCannotBeReached() throws Exception {
                given(queries.subscriptionQuery(any(FindAppointmentQuery.class), any(ResponseType.class), any(ResponseType.class)))
                        .willReturn(subscription(Mono.empty(), Flux.never()));
                willThrow(new CannotCreateTransactionException("Could not open JPA EntityManager for transaction",
                        new ConnectException("Connection refused")))
                        .given(commands).sendAndWait(any(), any(MetaData.class));

                book(doctor, validBody())
                        .andExpect(problem(HttpStatus.SERVICE_UNAVAILABLE, "dependency-unavailable"))
                        .andExpect(header().string("Retry-After", "5"))
                        .andExpect(content().string(not(containsString("refused"))));
            }
        }

        @Nested
        class Idempotency {

            private ResultActions bookWithKey(BookingBody body, String key) throws Exception {
                return mvc.perform(booking(body).with(doctor.token()).header(AppointmentController.IDEMPOTENCY_KEY, key));
            }

            @Test
            void shouldScopeTheKeyToTheCallerWhenKeyIsGiven() throws Exception {
                bookingAppears();

                bookWithKey(validBody(), "booking-1").andExpect(status().isCreated());

                IdempotencyKey key = sentCommand(BookAppointmentCommand.class).idempotencyKey();
                assertThat(key.callerId()).isEqualTo(doctor.id());
                assertThat(key.key()).isEqualTo("booking-1");
            }

            @Test
            void shouldAnswer201WithTheOriginalAndReplayedHeaderWhenRequestIsADuplicate() throws Exception {
                AppointmentView original = appointment().at(FACILITY).doctor(doctor.id()).patient(patientId).view();
                given(queries.query(eq(new FindAppointmentQuery(original.appointmentId())), any(ResponseType.class)))
                        .willReturn(completedFuture(Optional.of(original)));
                bookingRejected(new AppointmentRejection(AppointmentError.DUPLICATE_REQUEST,
                        "already booked", original.appointmentId()));

                bookWithKey(validBody(), "booking-1")
                        .andExpect(status().isCreated())
                        .andExpect(header().string("Location", "/api/appointments/" + original.appointmentId()))
                        .andExpect(header().string(AppointmentController.IDEMPOTENT_REPLAYED, "true"))
                        .andExpect(jsonPath("$.appointmentId").value(original.appointmentId().toString()))
                        .andExpect(jsonPath("$.status").value("BOOKED"));
            }

            @Test
            void shouldAnswer202WithReplayedHeaderWhenTheOriginalIsNotYetVisible() throws Exception {
                UUID originalId = UUID.randomUUID();
                bookingRejected(new AppointmentRejection(AppointmentError.DUPLICATE_REQUEST, "already booked", originalId));

                bookWithKey(validBody(), "booking-1")
                        .andExpect(status().isAccepted())
                        .andExpect(header().string("Location", "/api/appointments/" + originalId))
                        .andExpect(header().string(AppointmentController.IDEMPOTENT_REPLAYED, "true"));
            }

            @Test
            void shouldSendTheSameKeyWithEachCommandWhenKeyAndBodyAreRepeated() throws Exception {
                bookingAppears();

                bookWithKey(validBody(), "booking-1").andExpect(status().isCreated());
                bookWithKey(validBody(), "booking-1").andExpect(status().isCreated());

                List<BookAppointmentCommand> sent = sentCommands(BookAppointmentCommand.class, 2);
                assertThat(sent.get(0).appointmentId()).isNotEqualTo(sent.get(1).appointmentId());
                assertThat(sent.get(0).idempotencyKey()).isEqualTo(sent.get(1).idempotencyKey());
            }

            @ParameterizedTest
            @ValueSource(strings = {"has space", "tab\tin", "é-accent", "\u200bzero-width"})
            void shouldAnswer400WhenKeyIsNotPrintableAscii(String key) throws Exception {
                mvc.perform(booking(validBody()).with(doctor.token())
                                .header(AppointmentController.IDEMPOTENCY_KEY, key))
                        .andExpect(problem(HttpStatus.BAD_REQUEST, "invalid-idempotency-key"));

                verifyNoInteractions(commands);
            }
        }
    }

    @Nested
    class Get {

        private final AppointmentView stored = appointment().at(FACILITY).patient(patientId).view();

        @BeforeEach
        void store() {
            stored(stored);
        }

        private ResultActions read(Caller caller, Object id) throws Exception {
            return mvc.perform(get("/api/appointments/{id}", id).with(caller.token()));
        }

        @Test
        void shouldAnswer200WhenDoctorWorksAtTheFacility() throws Exception {
            read(doctor, stored.appointmentId())
                    .andExpect(status().isOk())
                    .andExpect(content().contentType(MediaType.APPLICATION_JSON))
                    .andExpect(jsonPath("$.appointmentId").value(stored.appointmentId().toString()))
                    .andExpect(jsonPath("$.patientName").value("Ada Lovelace"))
                    .andExpect(jsonPath("$.end").value("2030-01-02T09:30:00Z"));
        }

        @Test
        void shouldAnswer403FacilityForbiddenWhenDoctorWorksElsewhere() throws Exception {
            read(Caller.doctorAt(OTHER_FACILITY), stored.appointmentId())
                    .andExpect(problem(HttpStatus.FORBIDDEN, "facility-forbidden"))
                    .andExpect(jsonPath("$.patientName").doesNotExist());
        }

        @Test
        void shouldAnswer200WhenPatientReadsTheirOwn() throws Exception {
            read(Caller.patient(patientId), stored.appointmentId())
                    .andExpect(status().isOk())
                    .andExpect(jsonPath("$.patientId").value(patientId.toString()));
        }

        @Test
        void shouldAnswer404LikeAnUnknownIdWhenPatientReadsSomeoneElses() throws Exception {
            String othersAnswer = read(Caller.patient(), stored.appointmentId())
                    .andExpect(problem(HttpStatus.NOT_FOUND, "appointment-not-found"))
                    .andReturn().getResponse().getContentAsString();
            given(queries.query(eq(new FindAppointmentQuery(stored.appointmentId())), any(ResponseType.class)))
                    .willReturn(completedFuture(Optional.empty()));

            String unknownAnswer = read(Caller.patient(), stored.appointmentId())
                    .andExpect(problem(HttpStatus.NOT_FOUND, "appointment-not-found"))
                    .andReturn().getResponse().getContentAsString();

            assertThat(othersAnswer).isEqualTo(unknownAnswer);
        }

        @Test
        void shouldAnswer200WhenAdminReads() throws Exception {
            read(Caller.admin(), stored.appointmentId())
                    .andExpect(status().isOk())
                    .andExpect(jsonPath("$.appointmentId").value(stored.appointmentId().toString()));
        }

        @Test
        void shouldAnswer404WhenIdIsUnknown() throws Exception {
            UUID unknown = UUID.randomUUID();

            read(doctor, unknown)
                    .andExpect(problem(HttpStatus.NOT_FOUND, "appointment-not-found"))
                    .andExpect(jsonPath("$.title").value(AppointmentError.APPOINTMENT_NOT_FOUND.title()))
                    .andExpect(jsonPath("$.detail").value(containsString(unknown.toString())));
        }

        @Test
        void shouldAnswer400WhenIdIsNotAUuid() throws Exception {
            read(doctor, "xyz").andExpect(problem(HttpStatus.BAD_REQUEST, "invalid-request"));
        }

        /** Deny by default: a method no rule names is refused before any handler could answer it. */
        @Test
        void shouldAnswer403EvenToAnAdminWhenNoRuleNamesTheMethod() throws Exception {
            mvc.perform(delete("/api/appointments/{id}", stored.appointmentId()).with(Caller.admin().token()))
                    .andExpect(problem(HttpStatus.FORBIDDEN, "forbidden"));
            mvc.perform(put("/api/appointments/{id}", stored.appointmentId()).with(doctor.token()))
                    .andExpect(problem(HttpStatus.FORBIDDEN, "forbidden"));
        }

        @Test
        void shouldAnswerHeadAsGetIsAnsweredWhenThePatientIsNotTheOwner() throws Exception {
            mvc.perform(head("/api/appointments/{id}", stored.appointmentId()).with(Caller.patient().token()))
                    .andExpect(status().isNotFound());
            mvc.perform(head("/api/appointments/{id}", stored.appointmentId()).with(Caller.patient(patientId).token()))
                    .andExpect(status().isOk());
        }

        @Test
        void shouldAnswer401WhenNoTokenIsSent() throws Exception {
            mvc.perform(get("/api/appointments/{id}", stored.appointmentId()))
                    .andExpect(problem(HttpStatus.UNAUTHORIZED, "unauthenticated"));
        }
    }

    @Nested
    class History {

        private final AppointmentView stored = appointment().at(FACILITY).patient(patientId).view();
        private final AppointmentHistory history = new AppointmentHistory(stored.appointmentId(), List.of(
                new AppointmentHistory.Entry(0, "AppointmentBookedEvent", Instant.parse("2029-12-30T10:00:00Z"),
                        UUID.randomUUID(), "DOCTOR", "corr-1",
                        List.of(new FieldChange("start", null, "2030-01-02T09:00:00Z")))));

        @BeforeEach
        void store() {
            stored(stored);
            given(queries.query(eq(new FindAppointmentHistoryQuery(stored.appointmentId())), any(ResponseType.class)))
                    .willReturn(completedFuture(Optional.of(history)));
        }

        private ResultActions readHistory(Caller caller, Object id) throws Exception {
            return mvc.perform(get("/api/appointments/{id}/history", id).with(caller.token()));
        }

        @Test
        void shouldAnswer200WithEntriesWhenDoctorWorksAtTheFacility() throws Exception {
            readHistory(doctor, stored.appointmentId())
                    .andExpect(status().isOk())
                    .andExpect(jsonPath("$.appointmentId").value(stored.appointmentId().toString()))
                    .andExpect(jsonPath("$.entries[0].type").value("AppointmentBookedEvent"))
                    .andExpect(jsonPath("$.entries[0].actorRole").value("DOCTOR"))
                    .andExpect(jsonPath("$.entries[0].changes[0].field").value("start"))
                    .andExpect(jsonPath("$.entries[0].changes[0].to").value("2030-01-02T09:00:00Z"));
        }

        @Test
        void shouldAnswer200WhenPatientReadsTheirOwn() throws Exception {
            readHistory(Caller.patient(patientId), stored.appointmentId())
                    .andExpect(status().isOk())
                    .andExpect(jsonPath("$.entries.length()").value(1));
        }

        @Test
        void shouldAnswer200WhenAdminReads() throws Exception {
            readHistory(Caller.admin(), stored.appointmentId()).andExpect(status().isOk());
        }

        @Test
        void shouldAnswer403WithoutQueryingHistoryWhenDoctorWorksElsewhere() throws Exception {
            readHistory(Caller.doctorAt(OTHER_FACILITY), stored.appointmentId())
                    .andExpect(problem(HttpStatus.FORBIDDEN, "facility-forbidden"));
            verify(queries, never()).query(any(FindAppointmentHistoryQuery.class), any(ResponseType.class));
        }

        @Test
        void shouldAnswer404WithoutQueryingHistoryWhenPatientReadsSomeoneElses() throws Exception {
            readHistory(Caller.patient(), stored.appointmentId())
                    .andExpect(problem(HttpStatus.NOT_FOUND, "appointment-not-found"));
            verify(queries, never()).query(any(FindAppointmentHistoryQuery.class), any(ResponseType.class));
        }

        @Test
        void shouldAnswer404WhenIdIsUnknown() throws Exception {
            readHistory(doctor, UUID.randomUUID()).andExpect(problem(HttpStatus.NOT_FOUND, "appointment-not-found"));
        }

        @Test
        void shouldAnswer400WhenIdIsNotAUuid() throws Exception {
            readHistory(doctor, "xyz").andExpect(problem(HttpStatus.BAD_REQUEST, "invalid-request"));
        }
    }

    @Nested
    class Reschedule {

        private final UUID id = UUID.randomUUID();
        private final Instant newStart = Instant.parse("2030-01-05T14:00:00Z");

        private ResultActions reschedule(Caller caller, String body) throws Exception {
            return mvc.perform(post("/api/appointments/{id}/reschedule", id).with(caller.token())
                    .contentType(MediaType.APPLICATION_JSON).content(body));
        }

        @Test
        void shouldAnswer200WithTheMovedViewWhenTheUpdateArrives() throws Exception {
            AppointmentFixture current = appointment().id(id).at(FACILITY);
            viewShows(current.view(), current.start(newStart).view());

            reschedule(doctor, "{\"start\":\"2030-01-05T14:00:00Z\",\"reason\":\"  clinic closed  \"}")
                    .andExpect(status().isOk())
                    .andExpect(jsonPath("$.appointmentId").value(id.toString()))
                    .andExpect(jsonPath("$.start").value("2030-01-05T14:00:00Z"));

            assertThat(sentCommand(RescheduleAppointmentCommand.class))
                    .isEqualTo(new RescheduleAppointmentCommand(id, newStart, null, "clinic closed"));
        }

        @ParameterizedTest
        @ValueSource(strings = {"2030-01-05T14:00:30Z", "2030-01-05T14:00:00.123456789Z"})
        void shouldAnswer400NamingTheFieldWhenTheNewStartIsNotOnAWholeMinute(String start) throws Exception {
            reschedule(doctor, "{\"start\":\"" + start + "\",\"reason\":\"moved\"}")
                    .andExpect(invalidFields("start"));
            verifyNoInteractions(commands);
        }

        @Test
        void shouldAnswer200WhenOnlyTheDurationChanges() throws Exception {
            AppointmentFixture current = appointment().id(id).at(FACILITY);
            viewShows(current.view(), current.duration(60).view());

            reschedule(doctor, "{\"durationMinutes\":60,\"reason\":\"longer\"}")
                    .andExpect(status().isOk())
                    .andExpect(jsonPath("$.durationMinutes").value(60));

            assertThat(sentCommand(RescheduleAppointmentCommand.class))
                    .isEqualTo(new RescheduleAppointmentCommand(id, null, 60, "longer"));
        }

        @Test
        void shouldAnswerWithTheRequestedTimeWhenAnotherUpdateArrivesFirst() throws Exception {
            AppointmentFixture current = appointment().id(id).at(FACILITY);
            AppointmentView unrelated = current.duration(45).view();
            viewShows(current.duration(30).view(), unrelated, current.start(newStart).view());

            reschedule(doctor, "{\"start\":\"2030-01-05T14:00:00Z\",\"reason\":\"moved\"}")
                    .andExpect(status().isOk())
                    .andExpect(jsonPath("$.start").value("2030-01-05T14:00:00Z"));
        }

        @Test
        void shouldAnswer202WhenTheViewStillShowsTheOldTime() throws Exception {
            viewShows(appointment().id(id).at(FACILITY).view());

            reschedule(doctor, "{\"start\":\"2030-01-05T14:00:00Z\",\"reason\":\"moved\"}")
                    .andExpect(status().isAccepted())
                    .andExpect(header().string("Location", "/api/appointments/" + id));
        }

        @Test
        void shouldAnswer400NamingTheRuleWhenNeitherStartNorDurationIsGiven() throws Exception {
            reschedule(doctor, "{\"reason\":\"no idea\"}")
                    .andExpect(invalidFields("changeRequested"))
                    .andExpect(jsonPath("$.errors[0].message").value("give a new start, a new duration or both"));
            verifyNoInteractions(commands);
        }

        @Test
        void shouldAnswer400WhenReasonIsMissing() throws Exception {
            reschedule(doctor, "{\"durationMinutes\":60}").andExpect(invalidFields("reason"));
        }

        @Test
        void shouldAnswer400WhenNewStartIsPast() throws Exception {
            reschedule(doctor, "{\"start\":\"" + PAST_BY_FIXED_CLOCK + "\",\"reason\":\"moved\"}")
                    .andExpect(invalidFields("start"));
        }

        @Test
        void shouldAnswer400NamingTheFieldWhenNewStartHasNoOffset() throws Exception {
            reschedule(doctor, "{\"start\":\"2030-01-05T14:00:00\",\"reason\":\"moved\"}")
                    .andExpect(invalidFields("start"));
        }

        @Test
        void shouldAnswer400WhenJsonCarriesChangeRequested() throws Exception {
            reschedule(doctor, "{\"durationMinutes\":60,\"reason\":\"x\",\"changeRequested\":true}")
                    .andExpect(invalidFields("changeRequested"));
        }

        @Test
        void shouldAnswer403WhenCallerIsAPatient() throws Exception {
            reschedule(Caller.patient(), "{\"durationMinutes\":60,\"reason\":\"longer\"}")
                    .andExpect(problem(HttpStatus.FORBIDDEN, "forbidden"));
            verifyNoInteractions(commands);
        }

        @Test
        void shouldAnswer409WhenAppointmentIsNoLongerBooked() throws Exception {
            commandRejected(AppointmentError.NOT_BOOKED);

            reschedule(doctor, "{\"durationMinutes\":60,\"reason\":\"longer\"}")
                    .andExpect(rejected(HttpStatus.CONFLICT, AppointmentError.NOT_BOOKED));
        }

        @Test
        void shouldAnswer409WhenAppointmentHasAlreadyStarted() throws Exception {
            commandRejected(AppointmentError.ALREADY_STARTED);

            reschedule(doctor, "{\"durationMinutes\":60,\"reason\":\"longer\"}")
                    .andExpect(rejected(HttpStatus.CONFLICT, AppointmentError.ALREADY_STARTED));
        }

        @Test
        void shouldAnswer404WhenAppointmentIsUnknown() throws Exception {
            commandRejected(AppointmentError.APPOINTMENT_NOT_FOUND);

            reschedule(doctor, "{\"durationMinutes\":60,\"reason\":\"longer\"}")
                    .andExpect(rejected(HttpStatus.NOT_FOUND, AppointmentError.APPOINTMENT_NOT_FOUND));
        }

        @Test
        void shouldAnswer422WhenNothingChanges() throws Exception {
            commandRejected(AppointmentError.NOTHING_TO_CHANGE);

            reschedule(doctor, "{\"durationMinutes\":30,\"reason\":\"same\"}")
                    .andExpect(rejected(HttpStatus.UNPROCESSABLE_ENTITY, AppointmentError.NOTHING_TO_CHANGE));
        }

        @Test
        void shouldAnswer409ConcurrentModificationWhenAnotherChangeWins() throws Exception {
            viewShows(appointment().id(id).view());
            willThrow(new ConcurrencyException("version 3 already exists"))
                    .given(commands).sendAndWait(any(), any(MetaData.class));

            reschedule(doctor, "{\"durationMinutes\":60,\"reason\":\"longer\"}")
                    .andExpect(problem(HttpStatus.CONFLICT, "concurrent-modification"));
        }
    }

    @Nested
    class Cancel {

        private final UUID id = UUID.randomUUID();

        private ResultActions cancel(Caller caller, String body) throws Exception {
            return mvc.perform(post("/api/appointments/{id}/cancel", id).with(caller.token())
                    .contentType(MediaType.APPLICATION_JSON).content(body));
        }

        @Test
        void shouldAnswer200WithTheCancelledViewWhenTheUpdateArrives() throws Exception {
            AppointmentFixture current = appointment().id(id).at(FACILITY);
            viewShows(current.view(), current.cancelled("feeling better").view());

            cancel(doctor, "{\"reason\":\" feeling better \"}")
                    .andExpect(status().isOk())
                    .andExpect(jsonPath("$.status").value("CANCELLED"))
                    .andExpect(jsonPath("$.cancellationReason").value("feeling better"));

            assertThat(sentCommand(CancelAppointmentCommand.class))
                    .isEqualTo(new CancelAppointmentCommand(id, "feeling better"));
        }

        @Test
        void shouldAnswer202WhenOnlyUnrelatedUpdatesArrive() throws Exception {
            AppointmentFixture current = appointment().id(id).at(FACILITY);
            viewShows(current.view(), current.duration(45).view());

            cancel(doctor, "{\"reason\":\"feeling better\"}")
                    .andExpect(status().isAccepted())
                    .andExpect(header().string("Location", "/api/appointments/" + id));
        }

        @Test
        void shouldAnswer202WhenTheViewStillShowsItBooked() throws Exception {
            viewShows(appointment().id(id).at(FACILITY).view());

            cancel(doctor, "{\"reason\":\"feeling better\"}")
                    .andExpect(status().isAccepted())
                    .andExpect(header().string("Location", "/api/appointments/" + id));
        }

        @Test
        void shouldAnswer200AndSendThePatientAsActorWhenPatientCancels() throws Exception {
            Caller patient = Caller.patient(patientId);
            AppointmentFixture current = appointment().id(id).patient(patientId);
            viewShows(current.view(), current.cancelled("cannot come").view());

            cancel(patient, "{\"reason\":\"cannot come\"}").andExpect(status().isOk());

            assertThat(sentMetaData()).containsEntry(Actor.ID, patientId.toString())
                    .containsEntry(Actor.ROLE, "PATIENT")
                    .containsEntry(Actor.FACILITIES, "");
        }

        @Test
        void shouldAnswer403WhenCallerIsAnAdmin() throws Exception {
            cancel(Caller.admin(), "{\"reason\":\"cleanup\"}").andExpect(problem(HttpStatus.FORBIDDEN, "forbidden"));
            verifyNoInteractions(commands);
        }

        @Test
        void shouldAnswer400WhenReasonIsMissing() throws Exception {
            cancel(doctor, "{}").andExpect(invalidFields("reason"));
            verifyNoInteractions(commands);
        }

        @Test
        void shouldAnswer400WhenReasonIsBlank() throws Exception {
            cancel(doctor, "{\"reason\":\"   \"}").andExpect(invalidFields("reason"));
        }

        @Test
        void shouldAnswer409WhenAppointmentIsNoLongerBooked() throws Exception {
            commandRejected(AppointmentError.NOT_BOOKED);

            cancel(doctor, "{\"reason\":\"again\"}").andExpect(rejected(HttpStatus.CONFLICT, AppointmentError.NOT_BOOKED));
        }

        @Test
        void shouldAnswer404WhenAppointmentIsUnknown() throws Exception {
            commandRejected(AppointmentError.APPOINTMENT_NOT_FOUND);

            cancel(doctor, "{\"reason\":\"x\"}")
                    .andExpect(rejected(HttpStatus.NOT_FOUND, AppointmentError.APPOINTMENT_NOT_FOUND));
        }

        @Test
        void shouldAnswer403WhenCommandSideRejectsTheFacility() throws Exception {
            commandRejected(AppointmentError.FACILITY_FORBIDDEN);

            cancel(Caller.doctorAt(OTHER_FACILITY), "{\"reason\":\"x\"}")
                    .andExpect(rejected(HttpStatus.FORBIDDEN, AppointmentError.FACILITY_FORBIDDEN));
        }
    }

    /** What a doctor records once an appointment has started; both follow the same rules at the edge. */
    enum Outcome {
        FULFIL("fulfil", AppointmentStatus.FULFILLED, MarkAppointmentFulfilledCommand::new),
        NO_SHOW("no-show", AppointmentStatus.NO_SHOW, MarkAppointmentNoShowCommand::new);

        final String path;
        final AppointmentStatus status;
        final Function<UUID, Object> command;

        Outcome(String path, AppointmentStatus status, Function<UUID, Object> command) {
            this.path = path;
            this.status = status;
            this.command = command;
        }
    }

    @Nested
    class MarkOutcome {

        private final UUID id = UUID.randomUUID();

        private ResultActions mark(Outcome outcome, Caller caller) throws Exception {
            return mvc.perform(post("/api/appointments/{id}/" + outcome.path, id).with(caller.token()));
        }

        @ParameterizedTest
        @EnumSource(Outcome.class)
        void shouldAnswer200WithTheNewStatusWhenTheUpdateArrives(Outcome outcome) throws Exception {
            AppointmentFixture current = appointment().id(id).at(FACILITY);
            viewShows(current.view(), current.status(outcome.status).view());

            mark(outcome, doctor).andExpect(status().isOk()).andExpect(jsonPath("$.status").value(outcome.status.name()));

            assertThat(sentCommand(Object.class)).isEqualTo(outcome.command.apply(id));
        }

        @ParameterizedTest
        @EnumSource(Outcome.class)
        void shouldAnswer200WhenTheViewAlreadyShowsTheNewStatus(Outcome outcome) throws Exception {
            viewShows(appointment().id(id).status(outcome.status).view());

            mark(outcome, doctor).andExpect(status().isOk()).andExpect(jsonPath("$.status").value(outcome.status.name()));
        }

        @ParameterizedTest
        @EnumSource(Outcome.class)
        void shouldAnswer202WhenTheViewStillShowsItBooked(Outcome outcome) throws Exception {
            viewShows(appointment().id(id).at(FACILITY).view());

            mark(outcome, doctor).andExpect(status().isAccepted());
        }

        @ParameterizedTest
        @EnumSource(Outcome.class)
        void shouldAnswer409WhenAppointmentHasNotStarted(Outcome outcome) throws Exception {
            commandRejected(AppointmentError.NOT_STARTED);

            mark(outcome, doctor).andExpect(rejected(HttpStatus.CONFLICT, AppointmentError.NOT_STARTED));
        }

        @ParameterizedTest
        @EnumSource(Outcome.class)
        void shouldAnswer409WhenAppointmentIsNoLongerBooked(Outcome outcome) throws Exception {
            commandRejected(AppointmentError.NOT_BOOKED);

            mark(outcome, doctor).andExpect(rejected(HttpStatus.CONFLICT, AppointmentError.NOT_BOOKED));
        }

        @ParameterizedTest
        @EnumSource(Outcome.class)
        void shouldAnswer404WhenAppointmentIsUnknown(Outcome outcome) throws Exception {
            commandRejected(AppointmentError.APPOINTMENT_NOT_FOUND);

            mark(outcome, doctor).andExpect(rejected(HttpStatus.NOT_FOUND, AppointmentError.APPOINTMENT_NOT_FOUND));
        }

        @ParameterizedTest
        @EnumSource(Outcome.class)
        void shouldAnswer403WhenCallerIsAPatient(Outcome outcome) throws Exception {
            mark(outcome, Caller.patient()).andExpect(problem(HttpStatus.FORBIDDEN, "forbidden"));
            verifyNoInteractions(commands);
        }

        @ParameterizedTest
        @EnumSource(Outcome.class)
        void shouldAnswer403WhenCallerIsAnAdmin(Outcome outcome) throws Exception {
            mark(outcome, Caller.admin()).andExpect(problem(HttpStatus.FORBIDDEN, "forbidden"));
            verifyNoInteractions(commands);
        }

        @ParameterizedTest
        @EnumSource(Outcome.class)
        void shouldAnswer400WhenIdIsNotAUuid(Outcome outcome) throws Exception {
            mvc.perform(post("/api/appointments/xyz/" + outcome.path).with(doctor.token()))
                    .andExpect(problem(HttpStatus.BAD_REQUEST, "invalid-request"));
        }
    }

    private void stored(AppointmentView view) {
        given(queries.query(eq(new FindAppointmentQuery(view.appointmentId())), any(ResponseType.class)))
                .willReturn(completedFuture(Optional.of(view)));
    }

    /**
     * The subscription a change waits on: the view as it is now, then the updates that arrive (and no more).
     * Reading the view, as a change does when no update comes in time, finds it as it is now.
     */
    private void viewShows(AppointmentView current, AppointmentView... updates) {
        given(queries.subscriptionQuery(eq(new FindAppointmentQuery(current.appointmentId())), any(ResponseType.class),
                any(ResponseType.class)))
                .willReturn(subscription(Mono.just(Optional.of(current)), Flux.concat(Flux.just(updates), Flux.never())));
        stored(current);
    }

    private void commandRejected(AppointmentError error) {
        given(queries.subscriptionQuery(any(FindAppointmentQuery.class), any(ResponseType.class), any(ResponseType.class)))
                .willReturn(subscription(Mono.empty(), Flux.never()));
        willThrow(new CommandExecutionException(error.title(), null, AppointmentRejection.of(error)))
                .given(commands).sendAndWait(any(), any(MetaData.class));
    }

    private static DefaultSubscriptionQueryResult<Optional<AppointmentView>, AppointmentView> subscription(
            Mono<Optional<AppointmentView>> initial, Flux<AppointmentView> updates) {
        return new DefaultSubscriptionQueryResult<>(initial, updates, () -> true);
    }

    private <C> C sentCommand(Class<C> type) {
        return sentCommands(type, 1).get(0);
    }

    private <C> List<C> sentCommands(Class<C> type, int count) {
        ArgumentCaptor<Object> command = ArgumentCaptor.forClass(Object.class);
        verify(commands, times(count)).sendAndWait(command.capture(), any(MetaData.class));
        return command.getAllValues().stream().map(type::cast).toList();
    }

    private MetaData sentMetaData() {
        ArgumentCaptor<MetaData> metaData = ArgumentCaptor.forClass(MetaData.class);
        verify(commands).sendAndWait(any(), metaData.capture());
        return metaData.getValue();
    }
}
