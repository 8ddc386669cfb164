package org.nhsv2.appointment.command;

import org.axonframework.commandhandling.CommandExecutionException;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.axonframework.test.aggregate.FixtureConfiguration;
import org.axonframework.test.aggregate.ResultValidator;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.mockito.InOrder;
import org.nhsv2.appointment.api.RecordEmailFailedCommand;
import org.nhsv2.appointment.api.RecordEmailSupersededCommand;
import org.nhsv2.appointment.api.ConfirmationSupersededEvent;
import org.nhsv2.appointment.api.RecordEmailDeliveredCommand;
import org.nhsv2.appointment.api.ConfirmationFailedEvent;
import org.nhsv2.appointment.api.ConfirmationDeliveredEvent;
import org.nhsv2.appointment.api.AppointmentError;
import org.nhsv2.appointment.api.AppointmentRejection;
import org.nhsv2.appointment.api.CancelAppointmentCommand;
import org.nhsv2.appointment.api.MarkAppointmentFulfilledCommand;
import org.nhsv2.appointment.api.MarkAppointmentNoShowCommand;
import org.nhsv2.appointment.api.RescheduleAppointmentCommand;
import org.nhsv2.appointment.facility.FacilityDirectory;
import org.nhsv2.appointment.command.AppointmentFixtures.Booking;
import org.nhsv2.appointment.command.AppointmentFixtures.Ending;
import org.nhsv2.appointment.command.AppointmentFixtures.Outcome;
import org.nhsv2.platform.api.Actor;
import org.nhsv2.platform.api.IdempotencyKey;
import org.nhsv2.platform.problem.RejectionTranslator;
import org.nhsv2.platform.vault.PersonalDataVault;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.inOrder;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.when;
import static org.nhsv2.appointment.command.AppointmentFixtures.ADMIN;
import static org.nhsv2.appointment.command.AppointmentFixtures.APPOINTMENT_ID;
import static org.nhsv2.appointment.command.AppointmentFixtures.CLOCK;
import static org.nhsv2.appointment.command.AppointmentFixtures.COLLEAGUE_A;
import static org.nhsv2.appointment.command.AppointmentFixtures.DOCTOR_A;
import static org.nhsv2.appointment.command.AppointmentFixtures.DOCTOR_B;
import static org.nhsv2.appointment.command.AppointmentFixtures.DOCTOR_OF_UNKNOWN_FACILITY;
import static org.nhsv2.appointment.command.AppointmentFixtures.FACILITY_A;
import static org.nhsv2.appointment.command.AppointmentFixtures.FACILITY_B;
import static org.nhsv2.appointment.command.AppointmentFixtures.NOW;
import static org.nhsv2.appointment.command.AppointmentFixtures.OTHER_PATIENT;
import static org.nhsv2.appointment.command.AppointmentFixtures.PATIENT;
import static org.nhsv2.appointment.command.AppointmentFixtures.REASON_OF_MAX_LENGTH;
import static org.nhsv2.appointment.command.AppointmentFixtures.REASON_TOO_LONG;
import static org.nhsv2.appointment.command.AppointmentFixtures.UNKNOWN_FACILITY;
import static org.nhsv2.appointment.command.AppointmentFixtures.booking;
import static org.nhsv2.appointment.command.AppointmentFixtures.end;
import static org.nhsv2.appointment.command.AppointmentFixtures.sealed;
import static org.nhsv2.appointment.command.AppointmentFixtures.startedBooking;

class AppointmentTest {

    private static final Map<String, ?> NO_ACTOR = Map.of();
    private static final String REASON = "Doctor on leave";

    private FixtureConfiguration<Appointment> fixture;
    private BookingRequests requests;
    private FacilityDirectory staff;
    private SlotClaims claims;
    private PersonalDataVault vault;

    @BeforeEach
    void setUp() {
        requests = mock(BookingRequests.class);
        staff = mock(FacilityDirectory.class);
        claims = mock(SlotClaims.class);
        vault = mock(PersonalDataVault.class);

        when(staff.exists(FACILITY_A)).thenReturn(true);
        when(staff.exists(FACILITY_B)).thenReturn(true);
        when(staff.worksAt(DOCTOR_A.id(), FACILITY_A)).thenReturn(true);
        when(staff.worksAt(COLLEAGUE_A.id(), FACILITY_A)).thenReturn(true);
        when(staff.worksAt(DOCTOR_B.id(), FACILITY_B)).thenReturn(true);
        // Only the appointment's own patient has a sealer: sealing under another id fails the test.
        PersonalDataVault.Sealer sealer = mock(PersonalDataVault.Sealer.class);
        when(sealer.seal(any(), any())).thenAnswer(call -> {
            PersonalDataVault.Binding binding = call.getArgument(1);
            return sealed(binding.recordId(), binding.field(), call.getArgument(0));
        });
        when(vault.sealerFor(PATIENT.id())).thenReturn(sealer);

        fixture = new AggregateTestFixture<>(Appointment.class)
                .registerInjectableResource(CLOCK)
                .registerInjectableResource(requests)
                .registerInjectableResource(staff)
                .registerInjectableResource(claims)
                .registerInjectableResource(vault)
                .registerCommandHandlerInterceptor(new RejectionTranslator(
                        notFound -> AppointmentRejection.of(AppointmentError.APPOINTMENT_NOT_FOUND)));
    }

    /** The exception as it leaves the command bus, its details, and that nothing was stored. */
    private static void expectRejection(ResultValidator<Appointment> result, AppointmentError error) {
        expectRejection(result, AppointmentRejection.of(error));
    }

    private static void expectRejection(ResultValidator<Appointment> result, AppointmentRejection rejection) {
        result.expectException(CommandExecutionException.class)
                .expectExceptionDetails(rejection)
                .expectNoEvents();
    }

    private ResultValidator<Appointment> book(Booking booking, Actor actor) {
        return fixture.givenNoPriorActivity().when(booking.command(), actor.metaData());
    }

    @Nested
    class Book {

        @Test
        void shouldBookAndClaimTheSlotWhenDoctorBooksThemselves() {
            Booking booking = booking();

            book(booking, DOCTOR_A)
                    .expectSuccessfulHandlerExecution()
                    .expectEvents(booking.bookedEvent());

            verify(claims).claim(APPOINTMENT_ID, DOCTOR_A.id(), PATIENT.id(), booking.start(), booking.end());
            verifyNoInteractions(requests);
        }

        @Test
        void shouldBookWhenDoctorBooksThemselvesAtAFacilityOfTheirTokenThatTheStaffListLacks() {
            when(staff.worksAt(DOCTOR_A.id(), FACILITY_A)).thenReturn(false);
            Booking booking = booking();

            book(booking, DOCTOR_A).expectEvents(booking.bookedEvent());
        }

        @Test
        void shouldBookWhenDoctorBooksColleagueOfTheSameFacility() {
            Booking booking = booking().withDoctor(COLLEAGUE_A.id());

            book(booking, DOCTOR_A).expectEvents(booking.bookedEvent());

            verify(claims).claim(APPOINTMENT_ID, COLLEAGUE_A.id(), PATIENT.id(), booking.start(), booking.end());
        }

        @Test
        void shouldBookWithoutReasonWhenReasonIsNull() {
            Booking booking = booking().withReason(null);

            book(booking, DOCTOR_A).expectEvents(booking.bookedEvent());
        }

        @Test
        void shouldRememberTheIdempotencyKeyBeforeAnythingElseWhenKeyIsGiven() {
            IdempotencyKey key = new IdempotencyKey(DOCTOR_A.id(), "key-1");
            Booking booking = booking().withIdempotencyKey(key);

            book(booking, DOCTOR_A).expectEvents(booking.bookedEvent());

            InOrder order = inOrder(requests, staff, claims);
            order.verify(requests).remember(key, booking.command());
            order.verify(staff).exists(FACILITY_A);
            order.verify(claims).claim(APPOINTMENT_ID, DOCTOR_A.id(), PATIENT.id(), booking.start(), booking.end());
        }

        @Test
        void shouldRejectWithDuplicateRequestAndClaimNothingWhenKeyWasAlreadyUsedForTheSameRequest() {
            IdempotencyKey key = new IdempotencyKey(DOCTOR_A.id(), "key-1");
            UUID original = UUID.fromString("f0000000-0000-0000-0000-0000000000ff");
            AppointmentRejection duplicate = new AppointmentRejection(AppointmentError.DUPLICATE_REQUEST,
                    AppointmentError.DUPLICATE_REQUEST.title(), original);
            doThrow(new AppointmentRejectedException(duplicate)).when(requests).remember(eq(key), any());

            expectRejection(book(booking().withIdempotencyKey(key), DOCTOR_A), duplicate);

            verify(claims, never()).claim(any(), any(), any(), any(), any());
            verifyNoInteractions(staff, claims);
        }

        @Test
        void shouldRejectWithIdempotencyKeyReusedWhenKeyWasUsedForAnotherRequest() {
            IdempotencyKey key = new IdempotencyKey(DOCTOR_A.id(), "key-1");
            doThrow(new AppointmentRejectedException(AppointmentError.IDEMPOTENCY_KEY_REUSED))
                    .when(requests).remember(eq(key), any());

            expectRejection(book(booking().withIdempotencyKey(key), DOCTOR_A), AppointmentError.IDEMPOTENCY_KEY_REUSED);

            verifyNoInteractions(claims);
        }

        @Test
        void shouldRejectWithFacilityForbiddenWhenFacilityIsNotAmongTheActorsFacilities() {
            expectRejection(book(booking(), DOCTOR_B), AppointmentError.FACILITY_FORBIDDEN);

            verifyNoInteractions(requests, claims);
        }

        @Test
        void shouldRejectWithFacilityForbiddenWhenCommandCarriesNoActor() {
            expectRejection(fixture.givenNoPriorActivity().when(booking().command(), NO_ACTOR),
                    AppointmentError.FACILITY_FORBIDDEN);

            verifyNoInteractions(claims);
        }

        @Test
        void shouldRejectWithFacilityForbiddenWhenActorIsThePatient() {
            expectRejection(book(booking(), PATIENT), AppointmentError.FACILITY_FORBIDDEN);
        }

        @Test
        void shouldRejectWithFacilityForbiddenWhenActorIsAnAdminListedAtTheFacility() {
            expectRejection(book(booking(), ADMIN), AppointmentError.FACILITY_FORBIDDEN);
        }

        @Test
        void shouldRejectWithUnknownFacilityWhenFacilityDoesNotExist() {
            Booking booking = booking().atFacility(UNKNOWN_FACILITY).withDoctor(DOCTOR_OF_UNKNOWN_FACILITY.id());

            expectRejection(book(booking, DOCTOR_OF_UNKNOWN_FACILITY), AppointmentError.UNKNOWN_FACILITY);

            verifyNoInteractions(claims);
        }

        @Test
        void shouldRejectWithDoctorNotInFacilityWhenOtherDoctorDoesNotWorkThere() {
            expectRejection(book(booking().withDoctor(DOCTOR_B.id()), DOCTOR_A), AppointmentError.DOCTOR_NOT_IN_FACILITY);

            verify(staff).worksAt(DOCTOR_B.id(), FACILITY_A);
            verifyNoInteractions(claims);
        }

        @ParameterizedTest
        @ValueSource(strings = {"2030-03-04T10:00:01Z", "2030-03-04T10:00:00.001Z"})
        void shouldRejectWithStartNotOnWholeMinuteWhenStartHasSecondsOrFractions(String start) {
            Booking booking = booking().startingAt(Instant.parse(start));

            expectRejection(book(booking, DOCTOR_A), AppointmentError.START_NOT_ON_WHOLE_MINUTE);

            verifyNoInteractions(claims);
        }

        @ParameterizedTest
        @ValueSource(longs = {-60, 0})
        void shouldRejectWithStartInPastWhenStartIsNotAfterNow(long secondsFromNow) {
            Booking booking = booking().startingAt(NOW.plusSeconds(secondsFromNow));

            expectRejection(book(booking, DOCTOR_A), AppointmentError.START_IN_PAST);

            verifyNoInteractions(claims);
        }

        @ParameterizedTest
        @ValueSource(strings = {"2035-03-04T09:01:00Z", "+999999999-12-31T23:59:00Z"})
        void shouldRejectWithStartTooFarAheadWhenStartIsBeyondFiveYears(String start) {
            expectRejection(book(booking().startingAt(Instant.parse(start)), DOCTOR_A), AppointmentError.START_TOO_FAR_AHEAD);

            verifyNoInteractions(claims);
        }

        @Test
        void shouldBookWhenStartIsExactlyFiveYearsAhead() {
            Booking booking = booking().startingAt(Instant.parse("2035-03-04T09:00:00Z"));

            book(booking, DOCTOR_A).expectEvents(booking.bookedEvent());
        }

        @Test
        void shouldBookWhenStartIsTheNextWholeMinute() {
            Booking booking = booking().startingAt(NOW.plusSeconds(60));

            book(booking, DOCTOR_A).expectEvents(booking.bookedEvent());
        }

        @ParameterizedTest
        @ValueSource(ints = {0, 4, 241})
        void shouldRejectWithInvalidDurationWhenDurationIsOutsideFiveToTwoHundredFortyMinutes(int minutes) {
            expectRejection(book(booking().lasting(minutes), DOCTOR_A), AppointmentError.INVALID_DURATION);

            verifyNoInteractions(claims);
        }

        @ParameterizedTest
        @ValueSource(ints = {5, 240})
        void shouldBookWhenDurationIsOnTheBoundary(int minutes) {
            Booking booking = booking().lasting(minutes);

            book(booking, DOCTOR_A).expectEvents(booking.bookedEvent());

            verify(claims).claim(APPOINTMENT_ID, DOCTOR_A.id(), PATIENT.id(), booking.start(),
                    booking.start().plus(Duration.ofMinutes(minutes)));
        }

        @Test
        void shouldRejectWithReasonTooLongWhenReasonHasFiveHundredAndOneCharacters() {
            expectRejection(book(booking().withReason(REASON_TOO_LONG), DOCTOR_A), AppointmentError.REASON_TOO_LONG);

            verifyNoInteractions(claims);
        }

        @Test
        void shouldBookWhenReasonHasFiveHundredCharacters() {
            Booking booking = booking().withReason(REASON_OF_MAX_LENGTH);

            book(booking, DOCTOR_A).expectEvents(booking.bookedEvent());
        }

        @ParameterizedTest
        @EnumSource(value = AppointmentError.class, names = {"DOCTOR_UNAVAILABLE", "PATIENT_UNAVAILABLE"})
        void shouldRejectAndStoreNothingWhenTheSlotIsTaken(AppointmentError taken) {
            Booking booking = booking();
            doThrow(new AppointmentRejectedException(taken)).when(claims)
                    .claim(APPOINTMENT_ID, DOCTOR_A.id(), PATIENT.id(), booking.start(), booking.end());

            expectRejection(book(booking, DOCTOR_A), taken);
        }
    }

    @Nested
    class Reschedule {

        private final Booking booking = booking();
        private final Instant later = booking.start().plus(Duration.ofDays(1));

        private ResultValidator<Appointment> reschedule(Instant start, Integer minutes, String reason, Actor actor) {
            return fixture.given(booking.bookedEvent())
                    .when(new RescheduleAppointmentCommand(APPOINTMENT_ID, start, minutes, reason), actor.metaData());
        }

        @Test
        void shouldMoveTheStartAndKeepTheDurationWhenOnlyStartIsGiven() {
            reschedule(later, null, REASON, DOCTOR_A)
                    .expectSuccessfulHandlerExecution()
                    .expectEvents(booking.rescheduledEvent(later, 30, REASON));

            verify(claims).move(APPOINTMENT_ID, later, end(later, 30));
        }

        @Test
        void shouldChangeTheDurationAndKeepTheStartWhenOnlyDurationIsGiven() {
            reschedule(null, 45, REASON, DOCTOR_A)
                    .expectEvents(booking.rescheduledEvent(booking.start(), 45, REASON));

            verify(claims).move(APPOINTMENT_ID, booking.start(), end(booking.start(), 45));
        }

        @Test
        void shouldChangeStartAndDurationWhenBothAreGiven() {
            reschedule(later, 60, REASON, DOCTOR_A)
                    .expectEvents(booking.rescheduledEvent(later, 60, REASON));

            verify(claims).move(APPOINTMENT_ID, later, end(later, 60));
        }

        @Test
        void shouldRescheduleWhenActorIsAColleagueAtTheFacility() {
            reschedule(later, null, REASON, COLLEAGUE_A)
                    .expectEvents(booking.rescheduledEvent(later, 30, REASON));
        }

        @Test
        void shouldRecordTheCurrentTimesAsPreviousWhenAlreadyRescheduledOnce() {
            Instant evenLater = later.plus(Duration.ofDays(1));

            fixture.given(booking.bookedEvent(), booking.rescheduledEvent(later, 45, "first"))
                    .when(new RescheduleAppointmentCommand(APPOINTMENT_ID, evenLater, null, REASON), DOCTOR_A.metaData())
                    .expectEvents(booking.startingAt(later).lasting(45).rescheduledEvent(evenLater, 45, REASON));

            verify(claims).move(APPOINTMENT_ID, evenLater, end(evenLater, 45));
        }

        @Test
        void shouldRejectWithNothingToChangeWhenStartAndDurationEqualTheCurrentOnes() {
            expectRejection(reschedule(booking.start(), 30, REASON, DOCTOR_A), AppointmentError.NOTHING_TO_CHANGE);

            verifyNoInteractions(claims);
        }

        @Test
        void shouldRejectWithNothingToChangeWhenNeitherStartNorDurationIsGiven() {
            expectRejection(reschedule(null, null, REASON, DOCTOR_A), AppointmentError.NOTHING_TO_CHANGE);
        }

        @ParameterizedTest
        @NullSource
        @ValueSource(strings = {"", "   "})
        void shouldRejectWithReasonRequiredWhenReasonIsBlank(String reason) {
            expectRejection(reschedule(later, null, reason, DOCTOR_A), AppointmentError.REASON_REQUIRED);

            verifyNoInteractions(claims);
        }

        @Test
        void shouldRejectWithReasonTooLongWhenReasonHasFiveHundredAndOneCharacters() {
            expectRejection(reschedule(later, null, REASON_TOO_LONG, DOCTOR_A), AppointmentError.REASON_TOO_LONG);
        }

        @ParameterizedTest
        @ValueSource(longs = {0, 600})
        void shouldRejectWithAlreadyStartedWhenNowIsAtOrAfterTheStart(long secondsSinceStart) {
            Booking started = booking.startingAt(NOW.minusSeconds(secondsSinceStart));

            expectRejection(fixture.given(started.bookedEvent())
                            .when(new RescheduleAppointmentCommand(APPOINTMENT_ID, later, null, REASON), DOCTOR_A.metaData()),
                    AppointmentError.ALREADY_STARTED);

            verifyNoInteractions(claims);
        }

        @Test
        void shouldRejectWithStartNotOnWholeMinuteWhenNewStartHasSeconds() {
            expectRejection(reschedule(NOW.plusSeconds(7230), null, REASON, DOCTOR_A),
                    AppointmentError.START_NOT_ON_WHOLE_MINUTE);

            verifyNoInteractions(claims);
        }

        @ParameterizedTest
        @ValueSource(longs = {-60, 0})
        void shouldRejectWithStartInPastWhenNewStartIsNotAfterNow(long secondsFromNow) {
            expectRejection(reschedule(NOW.plusSeconds(secondsFromNow), null, REASON, DOCTOR_A),
                    AppointmentError.START_IN_PAST);

            verifyNoInteractions(claims);
        }

        @Test
        void shouldRejectWithStartTooFarAheadWhenNewStartIsBeyondFiveYears() {
            expectRejection(reschedule(Instant.parse("2035-03-04T09:01:00Z"), null, REASON, DOCTOR_A),
                    AppointmentError.START_TOO_FAR_AHEAD);

            verifyNoInteractions(claims);
        }

        @ParameterizedTest
        @ValueSource(ints = {4, 241})
        void shouldRejectWithInvalidDurationWhenNewDurationIsOutOfBounds(int minutes) {
            expectRejection(reschedule(null, minutes, REASON, DOCTOR_A), AppointmentError.INVALID_DURATION);
        }

        @ParameterizedTest
        @EnumSource(Ending.class)
        void shouldRejectWithNotBookedWhenAppointmentHasEnded(Ending ending) {
            expectRejection(fixture.given(booking.bookedEvent(), ending.event(booking))
                            .when(new RescheduleAppointmentCommand(APPOINTMENT_ID, later, null, REASON), DOCTOR_A.metaData()),
                    AppointmentError.NOT_BOOKED);

            verifyNoInteractions(claims);
        }

        @Test
        void shouldRejectWithFacilityForbiddenWhenDoctorWorksAtAnotherFacility() {
            expectRejection(reschedule(later, null, REASON, DOCTOR_B), AppointmentError.FACILITY_FORBIDDEN);

            verifyNoInteractions(claims);
        }

        @Test
        void shouldRejectWithFacilityForbiddenWhenActorIsThePatient() {
            expectRejection(reschedule(later, null, REASON, PATIENT), AppointmentError.FACILITY_FORBIDDEN);
        }

        @Test
        void shouldRejectWithFacilityForbiddenWhenCommandCarriesNoActor() {
            expectRejection(fixture.given(booking.bookedEvent())
                            .when(new RescheduleAppointmentCommand(APPOINTMENT_ID, later, null, REASON), NO_ACTOR),
                    AppointmentError.FACILITY_FORBIDDEN);
        }

        @Test
        void shouldRejectAndStoreNothingWhenTheNewSlotIsTaken() {
            doThrow(new AppointmentRejectedException(AppointmentError.DOCTOR_UNAVAILABLE))
                    .when(claims).move(APPOINTMENT_ID, later, end(later, 30));

            expectRejection(reschedule(later, null, REASON, DOCTOR_A), AppointmentError.DOCTOR_UNAVAILABLE);
        }
    }

    @Nested
    class Cancel {

        private final Booking booking = booking();

        private ResultValidator<Appointment> cancel(Booking given, String reason, Actor actor) {
            return fixture.given(given.bookedEvent())
                    .when(new CancelAppointmentCommand(APPOINTMENT_ID, reason), actor.metaData());
        }

        @Test
        void shouldCancelAndReleaseTheSlotWhenDoctorOfTheFacilityCancels() {
            cancel(booking, REASON, DOCTOR_A)
                    .expectSuccessfulHandlerExecution()
                    .expectEvents(booking.cancelledEvent(REASON));

            verify(claims).release(APPOINTMENT_ID);
        }

        @Test
        void shouldCancelWhenColleagueAtTheFacilityCancels() {
            cancel(booking, REASON, COLLEAGUE_A).expectEvents(booking.cancelledEvent(REASON));

            verify(claims).release(APPOINTMENT_ID);
        }

        @Test
        void shouldCancelWhenPatientCancelsOwnAppointmentBeforeItStarts() {
            cancel(booking, "Feeling better", PATIENT).expectEvents(booking.cancelledEvent("Feeling better"));

            verify(claims).release(APPOINTMENT_ID);
        }

        @Test
        void shouldCancelWhenDoctorCancelsAfterTheStart() {
            Booking started = startedBooking();

            cancel(started, REASON, DOCTOR_A).expectEvents(started.cancelledEvent(REASON));

            verify(claims).release(APPOINTMENT_ID);
        }

        @Test
        void shouldCancelAtTheCurrentStartWhenAppointmentWasRescheduled() {
            Instant later = booking.start().plus(Duration.ofDays(1));

            fixture.given(booking.bookedEvent(), booking.rescheduledEvent(later, 30, "moved"))
                    .when(new CancelAppointmentCommand(APPOINTMENT_ID, REASON), DOCTOR_A.metaData())
                    .expectEvents(booking.startingAt(later).cancelledEvent(REASON));
        }

        @Test
        void shouldRejectWithAppointmentNotFoundWhenPatientCancelsSomeoneElsesAppointment() {
            expectRejection(cancel(booking, REASON, OTHER_PATIENT), AppointmentError.APPOINTMENT_NOT_FOUND);

            verifyNoInteractions(claims);
        }

        @ParameterizedTest
        @ValueSource(longs = {0, 600})
        void shouldRejectWithAlreadyStartedWhenPatientCancelsOwnAppointmentAtOrAfterTheStart(long secondsSinceStart) {
            expectRejection(cancel(booking.startingAt(NOW.minusSeconds(secondsSinceStart)), REASON, PATIENT),
                    AppointmentError.ALREADY_STARTED);

            verifyNoInteractions(claims);
        }

        @ParameterizedTest
        @NullSource
        @ValueSource(strings = {"", "   "})
        void shouldRejectWithReasonRequiredWhenDoctorGivesNoReason(String reason) {
            expectRejection(cancel(booking, reason, DOCTOR_A), AppointmentError.REASON_REQUIRED);

            verifyNoInteractions(claims);
        }

        @ParameterizedTest
        @NullSource
        @ValueSource(strings = {"", "   "})
        void shouldRejectWithReasonRequiredWhenPatientGivesNoReason(String reason) {
            expectRejection(cancel(booking, reason, PATIENT), AppointmentError.REASON_REQUIRED);
        }

        @Test
        void shouldRejectWithReasonTooLongWhenReasonHasFiveHundredAndOneCharacters() {
            expectRejection(cancel(booking, REASON_TOO_LONG, DOCTOR_A), AppointmentError.REASON_TOO_LONG);
        }

        @ParameterizedTest
        @EnumSource(Ending.class)
        void shouldRejectWithNotBookedWhenDoctorCancelsAnEndedAppointment(Ending ending) {
            expectRejection(fixture.given(booking.bookedEvent(), ending.event(booking))
                            .when(new CancelAppointmentCommand(APPOINTMENT_ID, REASON), DOCTOR_A.metaData()),
                    AppointmentError.NOT_BOOKED);

            verifyNoInteractions(claims);
        }

        @ParameterizedTest
        @EnumSource(Ending.class)
        void shouldRejectWithNotBookedWhenPatientCancelsAnEndedAppointment(Ending ending) {
            expectRejection(fixture.given(booking.bookedEvent(), ending.event(booking))
                            .when(new CancelAppointmentCommand(APPOINTMENT_ID, REASON), PATIENT.metaData()),
                    AppointmentError.NOT_BOOKED);
        }

        @Test
        void shouldRejectWithFacilityForbiddenWhenDoctorWorksAtAnotherFacility() {
            expectRejection(cancel(booking, REASON, DOCTOR_B), AppointmentError.FACILITY_FORBIDDEN);

            verifyNoInteractions(claims);
        }

        @Test
        void shouldRejectWithFacilityForbiddenWhenCommandCarriesNoActor() {
            expectRejection(fixture.given(booking.bookedEvent())
                            .when(new CancelAppointmentCommand(APPOINTMENT_ID, REASON), NO_ACTOR),
                    AppointmentError.FACILITY_FORBIDDEN);
        }
    }

    /** Fulfilled and no-show follow the same rules; each test runs for both. */
    @Nested
    class MarkOutcome {

        private ResultValidator<Appointment> mark(Outcome outcome, Booking given, Map<String, ?> metaData) {
            return fixture.given(given.bookedEvent()).when(outcome.command(), metaData);
        }

        @ParameterizedTest
        @EnumSource(Outcome.class)
        void shouldRecordTheOutcomeWhenAppointmentHasStarted(Outcome outcome) {
            Booking started = startedBooking();

            mark(outcome, started, DOCTOR_A.metaData())
                    .expectSuccessfulHandlerExecution()
                    .expectEvents(outcome.event(started));
        }

        @ParameterizedTest
        @EnumSource(Outcome.class)
        void shouldRecordTheOutcomeWhenNowIsExactlyTheStart(Outcome outcome) {
            Booking startsNow = booking().startingAt(NOW);

            mark(outcome, startsNow, COLLEAGUE_A.metaData()).expectEvents(outcome.event(startsNow));
        }

        @ParameterizedTest
        @EnumSource(Outcome.class)
        void shouldRejectWithNotStartedWhenAppointmentIsStillAhead(Outcome outcome) {
            expectRejection(mark(outcome, booking(), DOCTOR_A.metaData()), AppointmentError.NOT_STARTED);
        }

        @ParameterizedTest
        @EnumSource(Outcome.class)
        void shouldRejectWithFacilityForbiddenWhenDoctorWorksAtAnotherFacility(Outcome outcome) {
            expectRejection(mark(outcome, startedBooking(), DOCTOR_B.metaData()), AppointmentError.FACILITY_FORBIDDEN);
        }

        @ParameterizedTest
        @EnumSource(Outcome.class)
        void shouldRejectWithFacilityForbiddenWhenActorIsThePatient(Outcome outcome) {
            expectRejection(mark(outcome, startedBooking(), PATIENT.metaData()), AppointmentError.FACILITY_FORBIDDEN);
        }

        @ParameterizedTest
        @EnumSource(Outcome.class)
        void shouldRejectWithFacilityForbiddenWhenCommandCarriesNoActor(Outcome outcome) {
            expectRejection(mark(outcome, startedBooking(), NO_ACTOR), AppointmentError.FACILITY_FORBIDDEN);
        }

        @ParameterizedTest
        @EnumSource(Outcome.class)
        void shouldRejectWithNotBookedWhenAppointmentHasEnded(Outcome outcome) {
            Booking started = startedBooking();
            for (Ending ending : Ending.values()) {
                expectRejection(fixture.given(started.bookedEvent(), ending.event(started))
                        .when(outcome.command(), DOCTOR_A.metaData()), AppointmentError.NOT_BOOKED);
            }
        }
    }

    /** Answers about the emails the saga requested, as notification-service sends them (and repeats them). */
    @Nested
    class EmailAnswers {

        private final Booking booking = booking();
        private final UUID request = UUID.fromString("e0000000-0000-0000-0000-000000000001");
        private final Instant deliveredAt = NOW.plus(Duration.ofMinutes(45));

        private ConfirmationDeliveredEvent delivered() {
            return new ConfirmationDeliveredEvent(APPOINTMENT_ID, booking.facilityId(), booking.start(), request,
                    "sg-1", deliveredAt);
        }

        private ConfirmationFailedEvent failed(String reason, boolean permanent) {
            return new ConfirmationFailedEvent(APPOINTMENT_ID, booking.facilityId(), booking.start(), request, reason,
                    permanent);
        }

        /** The saga gave up after three unanswered requests; the provider, back after 45 minutes, sent it. */
        @Test
        void shouldRecordADeliveryThatCameAfterTheSagaGaveUpWaitingForIt() {
            fixture.given(booking.bookedEvent(), failed("no acknowledgement after 3 requests", true))
                    .when(new RecordEmailDeliveredCommand(APPOINTMENT_ID, request, "sg-1", deliveredAt))
                    .expectEvents(delivered());
        }

        @Test
        void shouldRecordARepeatedDeliveryOnce() {
            fixture.given(booking.bookedEvent(), delivered())
                    .when(new RecordEmailDeliveredCommand(APPOINTMENT_ID, request, "sg-1", deliveredAt))
                    .expectSuccessfulHandlerExecution()
                    .expectNoEvents();
        }

        @Test
        void shouldRecordNoFailureOfAnEmailWhoseFateIsKnown() {
            fixture.given(booking.bookedEvent(), delivered())
                    .when(new RecordEmailFailedCommand(APPOINTMENT_ID, request, "mailbox full", true))
                    .expectNoEvents();
            fixture.given(booking.bookedEvent(), failed("mailbox full", true))
                    .when(new RecordEmailFailedCommand(APPOINTMENT_ID, request, "mailbox full", true))
                    .expectNoEvents();
        }

        @Test
        void shouldRecordAnEmailSupersededOnceAndNoFailureOfItAfterwards() {
            UUID newer = UUID.fromString("a0000000-0000-0000-0000-0000000000b2");
            ConfirmationSupersededEvent superseded = new ConfirmationSupersededEvent(APPOINTMENT_ID,
                    booking.bookedEvent().facilityId(), request, newer);
            fixture.given(booking.bookedEvent())
                    .when(new RecordEmailSupersededCommand(APPOINTMENT_ID, request, newer))
                    .expectEvents(superseded);
            fixture.given(booking.bookedEvent(), superseded)
                    .when(new RecordEmailSupersededCommand(APPOINTMENT_ID, request, newer))
                    .expectSuccessfulHandlerExecution()
                    .expectNoEvents();
            fixture.given(booking.bookedEvent(), superseded)
                    .when(new RecordEmailFailedCommand(APPOINTMENT_ID, request, "no acknowledgement after 3 requests", true))
                    .expectNoEvents();
        }

        @Test
        void shouldRecordAFailureForGoodAfterOneThatWasNot() {
            fixture.given(booking.bookedEvent(), failed("provider away", false))
                    .when(new RecordEmailFailedCommand(APPOINTMENT_ID, request, "mailbox full", true))
                    .expectEvents(failed("mailbox full", true));
        }
    }

    @Nested
    class UnknownAppointment {

        private final UUID unknownId = UUID.fromString("f0000000-0000-0000-0000-0000000000ee");

        @Test
        void shouldRejectRescheduleWithAppointmentNotFoundWhenNoSuchAppointmentExists() {
            Instant later = NOW.plus(Duration.ofDays(2));

            expectRejection(fixture.givenNoPriorActivity()
                            .when(new RescheduleAppointmentCommand(unknownId, later, null, REASON), DOCTOR_A.metaData()),
                    AppointmentError.APPOINTMENT_NOT_FOUND);
        }

        @Test
        void shouldRejectCancelWithAppointmentNotFoundWhenNoSuchAppointmentExists() {
            expectRejection(fixture.givenNoPriorActivity()
                            .when(new CancelAppointmentCommand(unknownId, REASON), PATIENT.metaData()),
                    AppointmentError.APPOINTMENT_NOT_FOUND);

            verifyNoInteractions(claims);
        }

        @Test
        void shouldRejectFulfilWithAppointmentNotFoundWhenNoSuchAppointmentExists() {
            expectRejection(fixture.givenNoPriorActivity()
                            .when(new MarkAppointmentFulfilledCommand(unknownId), DOCTOR_A.metaData()),
                    AppointmentError.APPOINTMENT_NOT_FOUND);
        }

        @Test
        void shouldRejectNoShowWithAppointmentNotFoundWhenNoSuchAppointmentExists() {
            expectRejection(fixture.givenNoPriorActivity()
                            .when(new MarkAppointmentNoShowCommand(unknownId), DOCTOR_A.metaData()),
                    AppointmentError.APPOINTMENT_NOT_FOUND);
        }
    }
}
