package org.nhsv2.appointment.saga;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.JsonAutoDetect.Visibility;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.deadline.DeadlineManager;
import org.axonframework.deadline.annotation.DeadlineHandler;
import org.axonframework.eventhandling.SequenceNumber;
import org.axonframework.modelling.saga.SagaEventHandler;
import org.axonframework.modelling.saga.SagaLifecycle;
import org.axonframework.modelling.saga.StartSaga;
import org.axonframework.spring.stereotype.Saga;
import org.nhsv2.appointment.api.AppointmentBookedEvent;
import org.nhsv2.appointment.api.AppointmentCancelledEvent;
import org.nhsv2.appointment.api.AppointmentFulfilledEvent;
import org.nhsv2.appointment.api.AppointmentMarkedNoShowEvent;
import org.nhsv2.appointment.api.AppointmentRescheduledEvent;
import org.nhsv2.appointment.api.ConfirmationDeliveredEvent;
import org.nhsv2.appointment.api.ConfirmationFailedEvent;
import org.nhsv2.appointment.api.ConfirmationSupersededEvent;
import org.nhsv2.appointment.api.FacilityView;
import org.nhsv2.appointment.api.RecordEmailFailedCommand;
import org.nhsv2.appointment.facility.FacilityDirectory;
import org.nhsv2.contracts.EmailTemplate;
import org.nhsv2.platform.api.PatientPersonalDataErasedEvent;
import org.nhsv2.platform.messaging.MessageIds;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/**
 * Keeps the patient told about one appointment: the confirmation with its invitation, an updated
 * invitation on each change, the reminder before it, and a cancellation; and keeps the doctor's
 * calendar in step (added, moved, removed). Each email is requested
 * from notification-service over RabbitMQ and re-requested (same request id) while unanswered, a
 * bounded number of times, then recorded as failed. Every wait is a persistent deadline, so a
 * restart loses neither a re-request nor a reminder.
 * <p>
 * Lives until the appointment has started (or ended) or been cancelled, and every email it asked
 * for has been answered. An erasure of the patient ends every email (none is written to an erased
 * patient) but not the saga: the appointment stands, and the doctor's calendar (which holds no
 * personal data) still follows its moves and its cancellation. Request ids derive from the
 * appointment and the event's sequence, so a handler that runs again publishes the same request.
 */
@Saga
@ProcessingGroup(AppointmentConfirmationSaga.PROCESSING_GROUP)
@JsonAutoDetect(fieldVisibility = Visibility.ANY, getterVisibility = Visibility.NONE,
        isGetterVisibility = Visibility.NONE, setterVisibility = Visibility.NONE)
public class AppointmentConfirmationSaga {

    public static final String PROCESSING_GROUP = "appointment-confirmation";
    static final String EMAIL_SILENCE = "email-silence";
    static final String REMINDER_DUE = "reminder-due";
    static final String APPOINTMENT_STARTS = "appointment-starts";
    /** How long a reminder or the start waits for the saga to read a change already stored, before it looks again. */
    static final Duration CATCH_UP = Duration.ofMinutes(1);

    private static final Logger log = LoggerFactory.getLogger(AppointmentConfirmationSaga.class);

    @Autowired
    private transient AppointmentEmails emails;
    @Autowired
    private transient DoctorCalendar calendar;
    @Autowired
    private transient FacilityDirectory facilities;
    @Autowired
    private transient DeadlineManager deadlines;
    @Autowired
    private transient CommandGateway commands;
    @Autowired
    private transient ConfirmationSettings settings;
    @Autowired
    private transient Clock clock;
    @Autowired
    private transient AppointmentHistory history;

    private AppointmentFacts facts;
    private final Map<UUID, PendingEmail> pending = new HashMap<>();
    private UUID reminderRequestId;
    private String reminderDeadlineId;
    private String startDeadlineId;
    private boolean over;
    private boolean patientErased;
    /** The sequence of the last appointment event read; none in a saga stored before it was kept (then not checked). */
    private Long lastSequence;

    @StartSaga
    @SagaEventHandler(associationProperty = "appointmentId")
    void on(AppointmentBookedEvent event, @SequenceNumber long sequence) {
        read(sequence);
        if (!event.start().isAfter(clock.instant())) {
            // A booking read long after it was made (the saga's first run over an older history, a
            // reset): the appointment is over, and a confirmation or reminder now would only confuse.
            SagaLifecycle.end();
            return;
        }
        SagaLifecycle.associateWith("patientId", event.patientId().toString());
        facts = new AppointmentFacts(event.appointmentId(), event.facilityId(), event.doctorId(), event.patientId(),
                event.patientName(), event.patientEmail(), event.start(), event.durationMinutes(), null, 0, false);
        request(EmailTemplate.APPOINTMENT_CONFIRMATION, sequence);
        putInDoctorsCalendar();
        planAround(sequence);
    }

    @SagaEventHandler(associationProperty = "appointmentId")
    void on(AppointmentRescheduledEvent event, @SequenceNumber long sequence) {
        read(sequence);
        facts = facts.movedTo(event.start(), event.durationMinutes());
        supersedePending();
        request(EmailTemplate.APPOINTMENT_RESCHEDULED, sequence);
        putInDoctorsCalendar();
        planAround(sequence);
    }

    @SagaEventHandler(associationProperty = "appointmentId")
    void on(AppointmentCancelledEvent event, @SequenceNumber long sequence) {
        read(sequence);
        facts = facts.cancelledNow();
        over = true;
        cancelPlans();
        supersedePending();
        request(EmailTemplate.APPOINTMENT_CANCELLED, sequence);
        calendar.remove(facts.doctorId(), facts.appointmentId());
        endWhenDone();
    }

    @SagaEventHandler(associationProperty = "appointmentId")
    void on(AppointmentFulfilledEvent event, @SequenceNumber long sequence) {
        read(sequence);
        appointmentOver();
    }

    @SagaEventHandler(associationProperty = "appointmentId")
    void on(AppointmentMarkedNoShowEvent event, @SequenceNumber long sequence) {
        read(sequence);
        appointmentOver();
    }

    @SagaEventHandler(associationProperty = "appointmentId")
    void on(ConfirmationDeliveredEvent event, @SequenceNumber long sequence) {
        read(sequence);
        answered(event.requestId());
    }

    /** A passing failure leaves the email pending: its deadline asks again. */
    @SagaEventHandler(associationProperty = "appointmentId")
    void on(ConfirmationFailedEvent event, @SequenceNumber long sequence) {
        read(sequence);
        if (event.permanent()) {
            answered(event.requestId());
        }
    }

    /** Not sent, as a newer email about the appointment reached the patient first: nothing more to wait for. */
    @SagaEventHandler(associationProperty = "appointmentId")
    void on(ConfirmationSupersededEvent event, @SequenceNumber long sequence) {
        read(sequence);
        answered(event.requestId());
    }

    /**
     * Nothing more may be written to an erased patient (what the saga stored is sealed with the shredded key); the
     * saga goes on for the doctor's calendar until the appointment starts or is cancelled.
     */
    @SagaEventHandler(associationProperty = "patientId")
    void on(PatientPersonalDataErasedEvent event) {
        patientErased = true;
        cancelPlans();
        pending.values().forEach(email -> deadlines.cancelSchedule(EMAIL_SILENCE, email.deadlineId()));
        pending.clear();
        if (over) {
            SagaLifecycle.end();
        } else {
            waitForTheStart();
        }
    }

    @DeadlineHandler(deadlineName = EMAIL_SILENCE)
    void onSilence(EmailSilence silence) {
        PendingEmail email = pending.get(silence.requestId());
        if (email == null) {
            return;
        }
        if (email.requests() >= settings.maxRequests()) {
            // Recorded on the appointment; its event comes back here and ends the wait.
            commands.sendAndWait(new RecordEmailFailedCommand(facts.appointmentId(), email.requestId(),
                    "no acknowledgement after " + email.requests() + " requests", true));
            return;
        }
        if (!emails.request(email.requestId(), email.template(), facts)) {
            pending.remove(email.requestId());
            endWhenDone();
            return;
        }
        pending.put(email.requestId(), email.askedAgain(awaitAnswer(email.requestId())));
    }

    /** The reminder, and from now the wait for the start (a saga stored before the two were chained has it already). */
    @DeadlineHandler(deadlineName = REMINDER_DUE)
    void onReminderDue() {
        reminderDeadlineId = null;
        if (over) {
            return;
        }
        // Held up past the start (waiting to read a change): too late to remind; the start's wait takes over.
        boolean tooLate = !clock.instant().isBefore(facts.start());
        if (!tooLate && changesUnread()) {
            reminderDeadlineId = deadlines.schedule(CATCH_UP, REMINDER_DUE);
            return;
        }
        if (!tooLate) {
            sendRequest(reminderRequestId, EmailTemplate.APPOINTMENT_REMINDER);
        }
        if (startDeadlineId == null) {
            waitForTheStart();
        }
    }

    @DeadlineHandler(deadlineName = APPOINTMENT_STARTS)
    void onAppointmentStarts() {
        startDeadlineId = null;
        if (!over && changesUnread()) {
            // Moved or cancelled before it started, and not read yet: ended now, the patient would never hear of it.
            startDeadlineId = deadlines.schedule(CATCH_UP, APPOINTMENT_STARTS);
            return;
        }
        appointmentOver();
    }

    private void read(long sequence) {
        lastSequence = lastSequence == null ? sequence : Math.max(lastSequence, sequence);
    }

    /** Whether the appointment has events stored that the saga has not read: its segment is behind. */
    private boolean changesUnread() {
        if (lastSequence == null || history.lastSequence(facts.appointmentId()) <= lastSequence) {
            return false;
        }
        log.info("Appointment {} has changes stored that its saga has not read yet; looking again in {}",
                facts.appointmentId(), CATCH_UP);
        return true;
    }

    private void request(EmailTemplate template, long sequence) {
        sendRequest(MessageIds.derived(facts.appointmentId(), sequence, template.name()), template);
    }

    private void sendRequest(UUID requestId, EmailTemplate template) {
        if (patientErased) {
            return;
        }
        if (emails.request(requestId, template, facts)) {
            pending.put(requestId, new PendingEmail(requestId, template, 1, awaitAnswer(requestId)));
        } else {
            log.info("No {} for appointment {}: the patient's data has been erased", template, facts.appointmentId());
        }
    }

    private void putInDoctorsCalendar() {
        FacilityView facility = facilities.facility(facts.facilityId());
        calendar.put(new DoctorCalendar.Entry(facts.appointmentId(), facts.doctorId(), facts.start(), facts.end(),
                ZoneId.of(facility.timeZone()), facility.name(), facility.address()));
    }

    private String awaitAnswer(UUID requestId) {
        return deadlines.schedule(settings.acknowledgementTimeout(), EMAIL_SILENCE, new EmailSilence(requestId));
    }

    /**
     * The reminder before the start (at once when that moment has passed). The wait for the start is scheduled when the
     * reminder is due, not now: one persistent deadline per booking fewer to write, and to drop on a change.
     */
    private void planAround(long sequence) {
        cancelPlans();
        if (patientErased) {
            waitForTheStart(); // no reminder to chain it to
            return;
        }
        Instant now = clock.instant();
        Instant reminderAt = facts.start().minus(settings.reminderBefore());
        reminderRequestId = MessageIds.derived(facts.appointmentId(), sequence, EmailTemplate.APPOINTMENT_REMINDER.name());
        reminderDeadlineId = deadlines.schedule(reminderAt.isAfter(now) ? reminderAt : now, REMINDER_DUE);
    }

    private void waitForTheStart() {
        startDeadlineId = deadlines.schedule(facts.start(), APPOINTMENT_STARTS);
    }

    private void cancelPlans() {
        if (reminderDeadlineId != null) {
            deadlines.cancelSchedule(REMINDER_DUE, reminderDeadlineId);
            reminderDeadlineId = null;
        }
        if (startDeadlineId != null) {
            deadlines.cancelSchedule(APPOINTMENT_STARTS, startDeadlineId);
            startDeadlineId = null;
        }
    }

    /** A change makes earlier unanswered emails out of date: the new one says it all. */
    private void supersedePending() {
        pending.values().stream()
                .filter(email -> email.template() != EmailTemplate.APPOINTMENT_REMINDER || over)
                .toList()
                .forEach(email -> {
                    deadlines.cancelSchedule(EMAIL_SILENCE, email.deadlineId());
                    pending.remove(email.requestId());
                });
    }

    private void answered(UUID requestId) {
        PendingEmail email = pending.remove(requestId);
        if (email != null) {
            deadlines.cancelSchedule(EMAIL_SILENCE, email.deadlineId());
        }
        endWhenDone();
    }

    private void appointmentOver() {
        over = true;
        cancelPlans();
        endWhenDone();
    }

    private void endWhenDone() {
        if (over && pending.isEmpty()) {
            SagaLifecycle.end();
        }
    }
}
