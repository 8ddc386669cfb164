package org.nhsv2.appointment.web;

import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.messaging.MetaData;
import org.axonframework.messaging.responsetypes.ResponseType;
import org.axonframework.queryhandling.QueryGateway;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.mockito.ArgumentCaptor;
import org.nhsv2.appointment.api.AppointmentPage;
import org.nhsv2.appointment.api.FindPatientAppointmentsQuery;
import org.nhsv2.appointment.config.WebSliceConfig;
import org.nhsv2.platform.api.Actor;
import org.nhsv2.platform.api.ErasePatientPersonalDataCommand;
import org.nhsv2.platform.api.ErasureBasis;
import org.nhsv2.platform.api.PersonalDataErasureReport;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.web.servlet.WebMvcTest;
import org.springframework.context.annotation.Import;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.ResultActions;

import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import static java.util.concurrent.CompletableFuture.completedFuture;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.nhsv2.appointment.web.AppointmentFixture.appointment;
import static org.nhsv2.appointment.web.ProblemMatchers.invalidFields;
import static org.nhsv2.appointment.web.ProblemMatchers.problem;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

@WebMvcTest(controllers = PatientController.class)
@Import({WebSliceConfig.class})
class PatientControllerTest {

    private static final UUID FACILITY = UUID.randomUUID();
    private static final UUID SECOND_FACILITY = UUID.randomUUID();

    @Autowired
    MockMvc mvc;

    @MockitoBean
    CommandGateway commands;

    @MockitoBean
    QueryGateway queries;

    @MockitoBean
    JwtDecoder jwtDecoder;

    private final UUID patientId = UUID.randomUUID();
    private final AppointmentPage page = new AppointmentPage(
            List.of(appointment().at(FACILITY).patient(patientId).view()), 0, 50, 1);

    @BeforeEach
    void appointmentsFound() {
        given(queries.query(any(FindPatientAppointmentsQuery.class), any(ResponseType.class)))
                .willReturn(completedFuture(page));
    }

    private FindPatientAppointmentsQuery sentQuery() {
        ArgumentCaptor<FindPatientAppointmentsQuery> query = ArgumentCaptor.forClass(FindPatientAppointmentsQuery.class);
        verify(queries).query(query.capture(), any(ResponseType.class));
        return query.getValue();
    }

    private void verifyNotQueried() {
        verify(queries, never()).query(any(FindPatientAppointmentsQuery.class), any(ResponseType.class));
    }

    @Nested
    class MyAppointments {

        private ResultActions mine(Caller caller, String... pageAndSize) throws Exception {
            var request = get("/api/patients/me/appointments").with(caller.token());
            if (pageAndSize.length == 2) {
                request.param("page", pageAndSize[0]).param("size", pageAndSize[1]);
            }
            return mvc.perform(request);
        }

        @Test
        void shouldAnswer200WithOwnAppointmentsWhenPatientAsks() throws Exception {
            mine(Caller.patient(patientId))
                    .andExpect(status().isOk())
                    .andExpect(content().contentType(MediaType.APPLICATION_JSON))
                    .andExpect(jsonPath("$.items[0].patientId").value(patientId.toString()))
                    .andExpect(jsonPath("$.totalItems").value(1));

            assertThat(sentQuery()).isEqualTo(new FindPatientAppointmentsQuery(patientId, Set.of(), 0, 50));
        }

        @Test
        void shouldPassPagingWhenGiven() throws Exception {
            mine(Caller.patient(patientId), "2", "10").andExpect(status().isOk());

            assertThat(sentQuery()).isEqualTo(new FindPatientAppointmentsQuery(patientId, Set.of(), 2, 10));
        }

        @Test
        void shouldAnswer400NamingSizeWhenSizeIsZero() throws Exception {
            mine(Caller.patient(patientId), "0", "0").andExpect(invalidFields("size"));
            verifyNotQueried();
        }

        @Test
        void shouldAnswer403WhenCallerIsADoctor() throws Exception {
            mine(Caller.doctorAt(FACILITY)).andExpect(problem(HttpStatus.FORBIDDEN, "forbidden"));
            verifyNotQueried();
        }

        @Test
        void shouldAnswer403WhenCallerIsAnAdmin() throws Exception {
            mine(Caller.admin()).andExpect(problem(HttpStatus.FORBIDDEN, "forbidden"));
            verifyNotQueried();
        }

        @Test
        void shouldAnswer401WhenNoTokenIsSent() throws Exception {
            mvc.perform(get("/api/patients/me/appointments"))
                    .andExpect(problem(HttpStatus.UNAUTHORIZED, "unauthenticated"));
            verifyNotQueried();
        }
    }

    @Nested
    class PatientAppointments {

        private ResultActions ofPatient(Caller caller) throws Exception {
            return mvc.perform(get("/api/patients/{id}/appointments", patientId).with(caller.token()));
        }

        @Test
        void shouldRestrictQueryToTheDoctorsFacilitiesWhenDoctorAsks() throws Exception {
            ofPatient(Caller.doctorAt(FACILITY, SECOND_FACILITY))
                    .andExpect(status().isOk())
                    .andExpect(jsonPath("$.items[0].patientId").value(patientId.toString()));

            assertThat(sentQuery()).isEqualTo(
                    new FindPatientAppointmentsQuery(patientId, Set.of(FACILITY, SECOND_FACILITY), 0, 50));
        }

        @Test
        void shouldAnswerAnEmptyPageWithoutQueryingWhenDoctorHasNoFacility() throws Exception {
            ofPatient(Caller.doctorAt())
                    .andExpect(status().isOk())
                    .andExpect(jsonPath("$.items").isEmpty())
                    .andExpect(jsonPath("$.totalItems").value(0))
                    .andExpect(jsonPath("$.size").value(50));
            verifyNotQueried();
        }

        @Test
        void shouldQueryEveryFacilityWhenAdminAsks() throws Exception {
            ofPatient(Caller.admin()).andExpect(status().isOk());

            assertThat(sentQuery()).isEqualTo(new FindPatientAppointmentsQuery(patientId, Set.of(), 0, 50));
        }

        @Test
        void shouldAnswer403WhenPatientAsksEvenForThemselves() throws Exception {
            ofPatient(Caller.patient(patientId)).andExpect(problem(HttpStatus.FORBIDDEN, "forbidden"));
            verifyNotQueried();
        }

        @Test
        void shouldAnswer400NamingSizeWhenSizeExceeds200() throws Exception {
            mvc.perform(get("/api/patients/{id}/appointments", patientId).param("size", "201")
                            .with(Caller.admin().token()))
                    .andExpect(invalidFields("size"));
            verifyNotQueried();
        }

        @Test
        void shouldAnswer400WhenPatientIdIsNotAUuid() throws Exception {
            mvc.perform(get("/api/patients/xyz/appointments").with(Caller.admin().token()))
                    .andExpect(problem(HttpStatus.BAD_REQUEST, "invalid-request"));
            verifyNotQueried();
        }
    }

    @Nested
    class ErasePersonalData {

        private ResultActions erase(Caller caller) throws Exception {
            return mvc.perform(delete("/api/patients/{id}/personal-data", patientId)
                    .param("basis", "DATA_SUBJECT_REQUEST").param("reference", "DSR-2030/7")
                    .with(caller.token()));
        }

        @Test
        void shouldAnswer200SayingWhatWasErasedWhenAdminAsks() throws Exception {
            Caller admin = Caller.admin();
            Instant erasedAt = Instant.parse("2030-01-01T00:00:00Z");
            given(commands.sendAndWait(any(), any(MetaData.class)))
                    .willReturn(new PersonalDataErasureReport(patientId, erasedAt, true, 2,
                            ErasureBasis.DATA_SUBJECT_REQUEST, "DSR-2030/7"));

            erase(admin).andExpect(status().isOk())
                    .andExpect(jsonPath("$.patientId").value(patientId.toString()))
                    .andExpect(jsonPath("$.erasedAt").value("2030-01-01T00:00:00Z"))
                    .andExpect(jsonPath("$.dataKeyDestroyed").value(true))
                    .andExpect(jsonPath("$.idempotencyRecordsDeleted").value(2))
                    .andExpect(jsonPath("$.summary").value(containsString("data key was destroyed")))
                    .andExpect(jsonPath("$.basis").value("DATA_SUBJECT_REQUEST"))
                    .andExpect(jsonPath("$.reference").value("DSR-2030/7"))
                    .andExpect(jsonPath("$.summary").value(containsString("2 remembered booking requests were deleted")))
                    .andExpect(jsonPath("$.summary").value(containsString("DATA_SUBJECT_REQUEST (DSR-2030/7)")));

            ArgumentCaptor<Object> command = ArgumentCaptor.forClass(Object.class);
            ArgumentCaptor<MetaData> metaData = ArgumentCaptor.forClass(MetaData.class);
            verify(commands).sendAndWait(command.capture(), metaData.capture());
            assertThat(command.getValue()).isEqualTo(new ErasePatientPersonalDataCommand(patientId,
                    ErasureBasis.DATA_SUBJECT_REQUEST, "DSR-2030/7"));
            assertThat(metaData.getValue()).containsEntry(Actor.ID, admin.subject()).containsEntry(Actor.ROLE, "ADMIN");
        }

        @Test
        void shouldSayNothingWasStoredWhenThePatientHadNoKey() throws Exception {
            given(commands.sendAndWait(any(), any(MetaData.class)))
                    .willReturn(new PersonalDataErasureReport(patientId, Instant.parse("2030-01-01T00:00:00Z"), false, 0,
                            ErasureBasis.DATA_SUBJECT_REQUEST, "DSR-2030/7"));

            erase(Caller.admin()).andExpect(status().isOk())
                    .andExpect(jsonPath("$.dataKeyDestroyed").value(false))
                    .andExpect(jsonPath("$.summary").value(containsString("No personal data was stored")));
        }

        /** Every erasure says why: a known ground, and a reference that cannot hold a sentence about anyone. */
        @ParameterizedTest
        @CsvSource(delimiter = '|', value = {
                "                    |             | basis     | is required: one of DATA_SUBJECT_REQUEST,",
                "data_subject_request|             | basis     | is not a known basis: one of DATA_SUBJECT_REQUEST,",
                "PATIENT_ASKED       |             | basis     | is not a known basis",
                "LEGAL_OBLIGATION    | Pat Example | reference | must be 1 to 64 letters, digits and",
                "LEGAL_OBLIGATION    | -1          | reference | starting with a letter or digit",
                "LEGAL_OBLIGATION    | ''          | reference | must be 1 to 64",
                "LEGAL_OBLIGATION    | x12345678901234567890123456789012345678901234567890123456789012345 | reference | must be"})
        void shouldAnswer400NamingTheParameterWhenTheGroundIsMissingOrOdd(String basis, String reference, String field,
                                                                         String message) throws Exception {
            var request = delete("/api/patients/{id}/personal-data", patientId).with(Caller.admin().token());
            if (basis != null) {
                request.param("basis", basis);
            }
            if (reference != null) {
                request.param("reference", reference);
            }

            mvc.perform(request).andExpect(problem(HttpStatus.BAD_REQUEST, "invalid-request"))
                    .andExpect(jsonPath("$.errors[0].field").value(field))
                    .andExpect(jsonPath("$.errors[0].message").value(containsString(message)));
            verifyNoInteractions(commands);
        }

        @Test
        void shouldAcceptAReferenceOfSixtyFourCharactersAndNoneAtAll() throws Exception {
            given(commands.sendAndWait(any(), any(MetaData.class)))
                    .willReturn(new PersonalDataErasureReport(patientId, Instant.parse("2030-01-01T00:00:00Z"), false, 0,
                            ErasureBasis.RETENTION_PERIOD_ENDED, null));
            String longest = "R" + "9".repeat(63);

            mvc.perform(delete("/api/patients/{id}/personal-data", patientId).param("basis", "RETENTION_PERIOD_ENDED")
                    .param("reference", longest).with(Caller.admin().token())).andExpect(status().isOk());
            mvc.perform(delete("/api/patients/{id}/personal-data", patientId).param("basis", "RETENTION_PERIOD_ENDED")
                    .with(Caller.admin().token())).andExpect(status().isOk())
                    .andExpect(jsonPath("$.summary").value(containsString("on the ground RETENTION_PERIOD_ENDED;")));

            ArgumentCaptor<Object> commandsSent = ArgumentCaptor.forClass(Object.class);
            verify(commands, times(2)).sendAndWait(commandsSent.capture(), any(MetaData.class));
            assertThat(commandsSent.getAllValues()).containsExactly(
                    new ErasePatientPersonalDataCommand(patientId, ErasureBasis.RETENTION_PERIOD_ENDED, longest),
                    new ErasePatientPersonalDataCommand(patientId, ErasureBasis.RETENTION_PERIOD_ENDED, null));
        }

        @Test
        void shouldAnswer403WhenCallerIsADoctor() throws Exception {
            erase(Caller.doctorAt(FACILITY)).andExpect(problem(HttpStatus.FORBIDDEN, "forbidden"));
            verifyNoInteractions(commands);
        }

        @Test
        void shouldAnswer403WhenPatientAsksForThemselves() throws Exception {
            erase(Caller.patient(patientId)).andExpect(problem(HttpStatus.FORBIDDEN, "forbidden"));
            verifyNoInteractions(commands);
        }

        @Test
        void shouldAnswer401WhenNoTokenIsSent() throws Exception {
            mvc.perform(delete("/api/patients/{id}/personal-data", patientId))
                    .andExpect(problem(HttpStatus.UNAUTHORIZED, "unauthenticated"));
            verifyNoInteractions(commands);
        }
    }
}
