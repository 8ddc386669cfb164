package org.nhsv2.appointment.saga;

import org.axonframework.test.saga.SagaTestFixture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.nhsv2.appointment.api.AppointmentBookedEvent;
import org.nhsv2.appointment.api.AppointmentCancelledEvent;
import org.nhsv2.appointment.api.AppointmentRescheduledEvent;
import org.nhsv2.appointment.api.ConfirmationDeliveredEvent;
import org.nhsv2.appointment.api.ConfirmationFailedEvent;
import org.nhsv2.appointment.api.ConfirmationSupersededEvent;
import org.nhsv2.appointment.api.FacilityView;
import org.nhsv2.appointment.api.RecordEmailFailedCommand;
import org.nhsv2.appointment.facility.FacilityDirectory;
import org.nhsv2.contracts.EmailTemplate;
import org.nhsv2.platform.api.EncryptedText;
import org.nhsv2.platform.api.ErasureBasis;
import org.nhsv2.platform.api.PatientPersonalDataErasedEvent;
import org.nhsv2.platform.messaging.MessageIds;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.UUID;

import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.argThat;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

/** Every path of the saga, given events and elapsed time, with the emails port and the command bus stubbed. */
class AppointmentConfirmationSagaTest {

    private static final UUID APPOINTMENT = UUID.randomUUID();
    private static final String ID = APPOINTMENT.toString();
    private static final UUID FACILITY = UUID.randomUUID();
    private static final UUID DOCTOR = UUID.randomUUID();
    private static final UUID PATIENT = UUID.randomUUID();
    private static final Duration ACK = Duration.ofMinutes(10);
    private static final UUID CONFIRMATION = MessageIds.derived(APPOINTMENT, 0, EmailTemplate.APPOINTMENT_CONFIRMATION.name());

    private SagaTestFixture<AppointmentConfirmationSaga> fixture;
    private AppointmentEmails emails;
    private DoctorCalendar calendar;
    private AppointmentHistory history;
    private Instant start;

    @BeforeEach
    void setUp() {
        fixture = new SagaTestFixture<>(AppointmentConfirmationSaga.class);
        emails = mock(AppointmentEmails.class);
        when(emails.request(any(), any(), any())).thenReturn(true);
        fixture.registerResource(emails);
        calendar = mock(DoctorCalendar.class);
        fixture.registerResource(calendar);
        history = mock(AppointmentHistory.class);
        fixture.registerResource(history);
        FacilityDirectory facilities = mock(FacilityDirectory.class);
        when(facilities.facility(FACILITY)).thenReturn(new FacilityView(FACILITY, "Riverside", "Europe/London", "1 River Road"));
        fixture.registerResource(facilities);
        fixture.registerResource(new ConfirmationSettings(ACK, 3, Duration.ofHours(24), "appointments@nhsv2.example"));
        fixture.registerResource(new Clock() {
            @Override
            public ZoneId getZone() {
                return ZoneId.of("UTC");
            }

            @Override
            public Clock withZone(ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return fixture.currentTime();
            }
        });
        fixture.registerCommandGateway(org.axonframework.commandhandling.gateway.CommandGateway.class);
        start = fixture.currentTime().plus(Duration.ofDays(3));
    }

    @Test
    void shouldRequestTheConfirmationAndPlanTheReminderWhenBooked() {
        fixture.givenNoPriorActivity()
                .whenAggregate(ID).publishes(booked())
                .expectActiveSagas(1)
                .expectScheduledDeadlineWithName(ACK, AppointmentConfirmationSaga.EMAIL_SILENCE)
                .expectScheduledDeadlineWithName(start.minus(Duration.ofHours(24)), AppointmentConfirmationSaga.REMINDER_DUE)
                .expectNoScheduledDeadlineWithName(start, AppointmentConfirmationSaga.APPOINTMENT_STARTS);
        verify(emails).request(eq(CONFIRMATION), eq(EmailTemplate.APPOINTMENT_CONFIRMATION),
                argThat(facts -> facts.sequence() == 0 && !facts.cancelled() && facts.start().equals(start)));
        verify(calendar).put(new DoctorCalendar.Entry(APPOINTMENT, DOCTOR, start, start.plus(Duration.ofMinutes(30)),
                ZoneId.of("Europe/London"), "Riverside", "1 River Road"));
    }

    @Test
    void shouldStopWaitingOnceTheConfirmationIsDeliveredAndIgnoreADuplicate() {
        fixture.givenAggregate(ID).published(booked())
                .andThenAggregate(ID).published(delivered(CONFIRMATION))
                .whenAggregate(ID).publishes(delivered(CONFIRMATION))
                .expectActiveSagas(1)
                .expectNoScheduledDeadlineWithName(ACK, AppointmentConfirmationSaga.EMAIL_SILENCE)
                .expectScheduledDeadlineWithName(start.minus(Duration.ofHours(24)), AppointmentConfirmationSaga.REMINDER_DUE)
                .expectNoDispatchedCommands();
        verify(emails, times(1)).request(eq(CONFIRMATION), any(), any());
    }

    @Test
    void shouldAskAgainWithTheSameRequestWhileUnansweredAndGiveUpAfterTheLastRequest() {
        fixture.givenAggregate(ID).published(booked())
                .whenTimeElapses(ACK.multipliedBy(2).plusSeconds(1))
                .expectNoDispatchedCommands();
        verify(emails, times(3)).request(eq(CONFIRMATION), eq(EmailTemplate.APPOINTMENT_CONFIRMATION), any());

        fixture.whenTimeElapses(ACK)
                .expectDispatchedCommands(new RecordEmailFailedCommand(APPOINTMENT, CONFIRMATION,
                        "no acknowledgement after 3 requests", true));
        verify(emails, times(3)).request(eq(CONFIRMATION), any(), any());
    }

    @Test
    void shouldNotAskAgainAfterAPermanentFailureButShouldAfterAPassingOne() {
        fixture.givenAggregate(ID).published(booked())
                .andThenAggregate(ID).published(failed(CONFIRMATION, true))
                .whenTimeElapses(ACK.plusSeconds(1))
                .expectNoScheduledDeadlineWithName(ACK, AppointmentConfirmationSaga.EMAIL_SILENCE);
        verify(emails, times(1)).request(eq(CONFIRMATION), any(), any());

        setUp();
        fixture.givenAggregate(ID).published(booked())
                .andThenAggregate(ID).published(failed(CONFIRMATION, false))
                .whenTimeElapses(ACK.plusSeconds(1))
                .expectActiveSagas(1);
        verify(emails, times(2)).request(eq(CONFIRMATION), any(), any());
    }

    @Test
    void shouldSendTheReminderADayBeforeTheAppointmentAndThenWaitForItsStart() {
        UUID reminder = MessageIds.derived(APPOINTMENT, 0, EmailTemplate.APPOINTMENT_REMINDER.name());
        fixture.givenAggregate(ID).published(booked())
                .andThenAggregate(ID).published(delivered(CONFIRMATION))
                .whenTimeElapses(Duration.ofDays(2).plusMinutes(1))
                .expectActiveSagas(1)
                .expectScheduledDeadlineWithName(start, AppointmentConfirmationSaga.APPOINTMENT_STARTS);
        verify(emails).request(eq(reminder), eq(EmailTemplate.APPOINTMENT_REMINDER), any());
    }

    @Test
    void shouldSendTheReminderAtOnceWhenBookedLessThanADayAhead() {
        start = fixture.currentTime().plus(Duration.ofHours(3));
        fixture.givenAggregate(ID).published(booked())
                .whenTimeElapses(Duration.ofSeconds(1))
                .expectActiveSagas(1);
        verify(emails).request(eq(MessageIds.derived(APPOINTMENT, 0, EmailTemplate.APPOINTMENT_REMINDER.name())),
                eq(EmailTemplate.APPOINTMENT_REMINDER), any());
    }

    @Test
    void shouldSendAnUpdatedInvitationAndMoveTheReminderOnAReschedule() {
        Instant later = start.plus(Duration.ofDays(2));
        fixture.givenAggregate(ID).published(booked())
                .whenAggregate(ID).publishes(rescheduled(later))
                .expectScheduledDeadlineWithName(later.minus(Duration.ofHours(24)), AppointmentConfirmationSaga.REMINDER_DUE)
                .expectNoScheduledDeadlineWithName(start.minus(Duration.ofHours(24)), AppointmentConfirmationSaga.REMINDER_DUE)
                .expectNoScheduledDeadlineWithName(later, AppointmentConfirmationSaga.APPOINTMENT_STARTS)
                .expectNoScheduledDeadlineWithName(start, AppointmentConfirmationSaga.APPOINTMENT_STARTS);
        verify(emails).request(eq(MessageIds.derived(APPOINTMENT, 1, EmailTemplate.APPOINTMENT_RESCHEDULED.name())),
                eq(EmailTemplate.APPOINTMENT_RESCHEDULED),
                argThat(facts -> facts.sequence() == 1 && facts.start().equals(later) && facts.previousStart().equals(start)));
        verify(calendar).put(argThat(entry -> entry.start().equals(later) && entry.end().equals(later.plus(Duration.ofMinutes(30)))));
    }

    @Test
    void shouldWaitForTheNewStartWhenMovedAfterTheReminder() throws Exception {
        // Moved two hours earlier, less than a day ahead: the new reminder is due at once, and then the new start
        Instant earlier = start.minus(Duration.ofHours(2));
        UUID secondReminder = MessageIds.derived(APPOINTMENT, 2, EmailTemplate.APPOINTMENT_REMINDER.name());
        fixture.givenAggregate(ID).published(booked())
                .andThenAggregate(ID).published(delivered(CONFIRMATION))
                .andThenTimeElapses(Duration.ofDays(2).plusMinutes(1))
                .andThenAggregate(ID).published(rescheduled(earlier))
                .whenTimeElapses(Duration.ofSeconds(1))
                .expectActiveSagas(1)
                .expectScheduledDeadlineWithName(earlier, AppointmentConfirmationSaga.APPOINTMENT_STARTS)
                .expectNoScheduledDeadlineWithName(start, AppointmentConfirmationSaga.APPOINTMENT_STARTS);
        verify(emails).request(eq(secondReminder), eq(EmailTemplate.APPOINTMENT_REMINDER),
                argThat(facts -> facts.start().equals(earlier)));
    }

    /**
     * The reminder waited out a provider's outage while the appointment was moved; the move's email went out first, so
     * notification-service did not send the reminder of the old time and said so: the saga stops asking for it.
     */
    @Test
    void shouldStopAskingForAReminderThatANewerEmailSuperseded() throws Exception {
        UUID reminder = MessageIds.derived(APPOINTMENT, 0, EmailTemplate.APPOINTMENT_REMINDER.name());
        UUID moved = MessageIds.derived(APPOINTMENT, 2, EmailTemplate.APPOINTMENT_RESCHEDULED.name());
        fixture.givenAggregate(ID).published(booked())
                .andThenAggregate(ID).published(delivered(CONFIRMATION))
                .andThenTimeElapses(Duration.ofDays(2).plusMinutes(1))
                .andThenAggregate(ID).published(rescheduled(start.plus(Duration.ofDays(2))))
                .andThenAggregate(ID).published(new ConfirmationSupersededEvent(APPOINTMENT, FACILITY, reminder, moved))
                .whenTimeElapses(ACK.plusSeconds(1))
                .expectActiveSagas(1);
        verify(emails, times(1)).request(eq(reminder), eq(EmailTemplate.APPOINTMENT_REMINDER), any());
        verify(emails, times(2)).request(eq(moved), eq(EmailTemplate.APPOINTMENT_RESCHEDULED), any());
    }

    @Test
    void shouldCancelTheInvitationDropTheReminderAndEndOnceTheCancellationIsDelivered() {
        UUID cancellation = MessageIds.derived(APPOINTMENT, 2, EmailTemplate.APPOINTMENT_CANCELLED.name());
        fixture.givenAggregate(ID).published(booked())
                .andThenAggregate(ID).published(delivered(CONFIRMATION))
                .whenAggregate(ID).publishes(cancelled())
                .expectActiveSagas(1)
                .expectNoScheduledDeadlineWithName(start.minus(Duration.ofHours(24)), AppointmentConfirmationSaga.REMINDER_DUE)
                .expectNoScheduledDeadlineWithName(start, AppointmentConfirmationSaga.APPOINTMENT_STARTS);
        verify(emails).request(eq(cancellation), eq(EmailTemplate.APPOINTMENT_CANCELLED),
                argThat(facts -> facts.cancelled() && facts.sequence() == 1));
        verify(calendar).remove(DOCTOR, APPOINTMENT);

        fixture.whenAggregate(ID).publishes(delivered(cancellation)).expectActiveSagas(0);
    }

    @Test
    void shouldSupersedeAnUnansweredConfirmationWhenCancelledBeforeItsDelivery() {
        fixture.givenAggregate(ID).published(booked())
                .andThenAggregate(ID).published(cancelled())
                .whenTimeElapses(ACK.plusSeconds(1))
                .expectActiveSagas(1);
        verify(emails, times(1)).request(eq(CONFIRMATION), any(), any());
        verify(emails, times(2)).request(eq(MessageIds.derived(APPOINTMENT, 1, EmailTemplate.APPOINTMENT_CANCELLED.name())),
                eq(EmailTemplate.APPOINTMENT_CANCELLED), any());
    }

    @Test
    void shouldEndWhenTheAppointmentStartsWithNothingUnanswered() throws Exception {
        fixture.givenAggregate(ID).published(booked())
                .andThenAggregate(ID).published(delivered(CONFIRMATION))
                .andThenTimeElapses(Duration.ofDays(2).plusMinutes(1))
                .andThenAggregate(ID).published(delivered(MessageIds.derived(APPOINTMENT, 0, EmailTemplate.APPOINTMENT_REMINDER.name())))
                .whenTimeElapses(Duration.ofDays(1))
                .expectActiveSagas(0);
    }

    @Test
    void shouldNotEndAtTheStartWhileAChangeIsStoredThatItHasNotReadYet() throws Exception {
        // The saga's segment held up (Google rate-limiting, say) while the doctor moved the appointment before it
        // started: ended at the old start, the saga would skip the move, and the patient never hear of it.
        Instant later = start.plus(Duration.ofHours(6));
        UUID reminder = MessageIds.derived(APPOINTMENT, 0, EmailTemplate.APPOINTMENT_REMINDER.name());
        fixture.givenAggregate(ID).published(booked())
                .andThenAggregate(ID).published(delivered(CONFIRMATION))
                .andThenTimeElapses(Duration.ofDays(2).plusMinutes(1))
                .andThenAggregate(ID).published(delivered(reminder));
        when(history.lastSequence(APPOINTMENT)).thenReturn(3L); // the move, stored as the appointment's fourth event

        fixture.whenTimeElapses(Duration.ofDays(1).minusSeconds(30)) // to half a minute after the start
                .expectActiveSagas(1)
                .expectScheduledDeadlineWithName(start.plus(AppointmentConfirmationSaga.CATCH_UP),
                        AppointmentConfirmationSaga.APPOINTMENT_STARTS);

        fixture.whenAggregate(ID).publishes(rescheduled(later))
                .expectActiveSagas(1);
        verify(emails).request(eq(MessageIds.derived(APPOINTMENT, 3, EmailTemplate.APPOINTMENT_RESCHEDULED.name())),
                eq(EmailTemplate.APPOINTMENT_RESCHEDULED), argThat(facts -> facts.start().equals(later)));
        verify(calendar).put(argThat(entry -> entry.start().equals(later)));
    }

    @Test
    void shouldNotRemindOfTheOldTimeWhileAMoveIsStoredThatItHasNotReadYet() throws Exception {
        UUID reminder = MessageIds.derived(APPOINTMENT, 0, EmailTemplate.APPOINTMENT_REMINDER.name());
        Instant reminderDue = start.minus(Duration.ofHours(24));
        fixture.givenAggregate(ID).published(booked())
                .andThenAggregate(ID).published(delivered(CONFIRMATION));
        when(history.lastSequence(APPOINTMENT)).thenReturn(2L);

        fixture.whenTimeElapses(Duration.ofDays(2).plusSeconds(1))
                .expectActiveSagas(1)
                .expectScheduledDeadlineWithName(reminderDue.plus(AppointmentConfirmationSaga.CATCH_UP),
                        AppointmentConfirmationSaga.REMINDER_DUE);
        verify(emails, never()).request(eq(reminder), any(), any());
    }

    @Test
    void shouldNotRemindAfterTheStartWhenHeldUpPastItAndEndOnceItHasReadEveryChange() throws Exception {
        // Booked twenty minutes ahead: the reminder is due at once, while an answer is stored and not read (the
        // segment held up for half an hour). A reminder of a time already past would only confuse.
        start = fixture.currentTime().plus(Duration.ofMinutes(20));
        UUID reminder = MessageIds.derived(APPOINTMENT, 0, EmailTemplate.APPOINTMENT_REMINDER.name());
        fixture.givenAggregate(ID).published(booked());
        when(history.lastSequence(APPOINTMENT)).thenReturn(1L);

        fixture.whenTimeElapses(Duration.ofMinutes(30)).expectActiveSagas(1);
        verify(emails, never()).request(eq(reminder), any(), any());

        fixture.whenAggregate(ID).publishes(delivered(CONFIRMATION)).expectActiveSagas(1);
        fixture.whenTimeElapses(AppointmentConfirmationSaga.CATCH_UP).expectActiveSagas(0);
        verify(emails, never()).request(eq(reminder), any(), any());
    }

    @Test
    void shouldEndAtTheStartOnceItHasReadEveryStoredChange() throws Exception {
        UUID reminder = MessageIds.derived(APPOINTMENT, 0, EmailTemplate.APPOINTMENT_REMINDER.name());
        fixture.givenAggregate(ID).published(booked())
                .andThenAggregate(ID).published(delivered(CONFIRMATION))
                .andThenTimeElapses(Duration.ofDays(2).plusMinutes(1))
                .andThenAggregate(ID).published(delivered(reminder));
        when(history.lastSequence(APPOINTMENT)).thenReturn(2L);

        fixture.whenTimeElapses(Duration.ofDays(1)).expectActiveSagas(0);
    }

    @Test
    void shouldWriteNothingForABookingReadOnlyAfterItsAppointmentStarted() {
        start = fixture.currentTime().minus(Duration.ofHours(1));
        fixture.givenNoPriorActivity()
                .whenAggregate(ID).publishes(booked())
                .expectActiveSagas(0)
                .expectNoScheduledDeadlines();
        verify(emails, never()).request(any(), any(), any());
        verify(calendar, never()).put(any());
    }

    /** No email is written to an erased patient; the saga stays for the doctor's calendar until the start. */
    @Test
    void shouldStopEveryEmailButWaitForTheStartWhenThePatientIsErased() {
        fixture.givenAggregate(ID).published(booked())
                .whenPublishingA(erased())
                .expectActiveSagas(1)
                .expectNoScheduledDeadlineWithName(ACK, AppointmentConfirmationSaga.EMAIL_SILENCE)
                .expectNoScheduledDeadlineWithName(start.minus(Duration.ofHours(24)), AppointmentConfirmationSaga.REMINDER_DUE)
                .expectScheduledDeadlineWithName(start, AppointmentConfirmationSaga.APPOINTMENT_STARTS);

        fixture.whenTimeElapses(Duration.ofDays(3)).expectActiveSagas(0);
        verify(emails, never()).request(any(), eq(EmailTemplate.APPOINTMENT_REMINDER), any());
    }

    /** The appointment stands after an erasure, and the doctor may still move it: the calendar follows, silently. */
    @Test
    void shouldKeepTheDoctorsCalendarInStepWithoutEmailsWhenMovedAfterThePatientIsErased() {
        Instant later = start.plus(Duration.ofDays(2));
        fixture.givenAggregate(ID).published(booked())
                .andThenAPublished(erased())
                .whenAggregate(ID).publishes(rescheduled(later))
                .expectActiveSagas(1)
                .expectScheduledDeadlineWithName(later, AppointmentConfirmationSaga.APPOINTMENT_STARTS)
                .expectNoScheduledDeadlineWithName(start, AppointmentConfirmationSaga.APPOINTMENT_STARTS)
                .expectNoScheduledDeadlineWithName(later.minus(Duration.ofHours(24)), AppointmentConfirmationSaga.REMINDER_DUE);
        verify(calendar).put(argThat(entry -> entry.start().equals(later)));
        verify(emails, never()).request(any(), eq(EmailTemplate.APPOINTMENT_RESCHEDULED), any());
    }

    @Test
    void shouldTakeTheAppointmentOutOfTheDoctorsCalendarAndEndWhenCancelledAfterThePatientIsErased() {
        fixture.givenAggregate(ID).published(booked())
                .andThenAPublished(erased())
                .whenAggregate(ID).publishes(cancelled())
                .expectActiveSagas(0)
                .expectNoScheduledDeadlines();
        verify(calendar).remove(DOCTOR, APPOINTMENT);
        verify(emails, never()).request(any(), eq(EmailTemplate.APPOINTMENT_CANCELLED), any());
    }

    @Test
    void shouldEndAtOnceWhenThePatientIsErasedAfterTheAppointmentWasCancelled() {
        fixture.givenAggregate(ID).published(booked())
                .andThenAggregate(ID).published(cancelled())
                .whenPublishingA(erased())
                .expectActiveSagas(0)
                .expectNoScheduledDeadlines();
    }

    @Test
    void shouldWaitForNothingWhenThePatientsAddressIsAlreadyErased() {
        when(emails.request(any(), any(), any())).thenReturn(false);
        fixture.givenNoPriorActivity()
                .whenAggregate(ID).publishes(booked())
                .expectNoScheduledDeadlineWithName(ACK, AppointmentConfirmationSaga.EMAIL_SILENCE);
        verify(emails, never()).request(any(), eq(EmailTemplate.APPOINTMENT_REMINDER), any());
    }

    // The fixture numbers each aggregate's events from 0, in the order a test publishes them.
    private AppointmentBookedEvent booked() {
        return new AppointmentBookedEvent(APPOINTMENT, FACILITY, DOCTOR, PATIENT, sealed("name"), sealed("email"), start,
                30, null);
    }

    private PatientPersonalDataErasedEvent erased() {
        return new PatientPersonalDataErasedEvent(PATIENT, true, UUID.randomUUID(), 0,
                ErasureBasis.DATA_SUBJECT_REQUEST, null);
    }

    private AppointmentRescheduledEvent rescheduled(Instant newStart) {
        return new AppointmentRescheduledEvent(APPOINTMENT, FACILITY, PATIENT, start, 30, newStart, 30, sealed("reason"));
    }

    private AppointmentCancelledEvent cancelled() {
        return new AppointmentCancelledEvent(APPOINTMENT, FACILITY, PATIENT, start, sealed("reason"));
    }

    private ConfirmationDeliveredEvent delivered(UUID requestId) {
        return new ConfirmationDeliveredEvent(APPOINTMENT, FACILITY, start, requestId, "sg-1", fixture.currentTime());
    }

    private ConfirmationFailedEvent failed(UUID requestId, boolean permanent) {
        return new ConfirmationFailedEvent(APPOINTMENT, FACILITY, start, requestId, "refused", permanent);
    }

    private static EncryptedText sealed(String what) {
        return new EncryptedText("v2:" + UUID.randomUUID() + ":" + what);
    }
}
