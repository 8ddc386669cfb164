package org.nhsv2.appointment.command;

import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.spring.stereotype.Aggregate;
import org.nhsv2.appointment.api.AppointmentBookedEvent;
import org.nhsv2.appointment.api.AppointmentCancelledEvent;
import org.nhsv2.appointment.api.AppointmentError;
import org.nhsv2.appointment.api.AppointmentFulfilledEvent;
import org.nhsv2.appointment.api.AppointmentMarkedNoShowEvent;
import org.nhsv2.appointment.api.AppointmentRescheduledEvent;
import org.nhsv2.appointment.api.AppointmentStatus;
import org.nhsv2.appointment.api.AppointmentTimes;
import org.nhsv2.appointment.api.BookAppointmentCommand;
import org.nhsv2.appointment.api.CancelAppointmentCommand;
import org.nhsv2.appointment.api.ConfirmationDeliveredEvent;
import org.nhsv2.appointment.api.ConfirmationFailedEvent;
import org.nhsv2.appointment.api.ConfirmationSupersededEvent;
import org.nhsv2.appointment.api.MarkAppointmentFulfilledCommand;
import org.nhsv2.appointment.api.MarkAppointmentNoShowCommand;
import org.nhsv2.appointment.api.RecordEmailDeliveredCommand;
import org.nhsv2.appointment.api.RecordEmailFailedCommand;
import org.nhsv2.appointment.api.RecordEmailSupersededCommand;
import org.nhsv2.appointment.api.RescheduleAppointmentCommand;
import org.nhsv2.appointment.api.SealedFields;
import org.nhsv2.appointment.facility.FacilityDirectory;
import org.nhsv2.platform.api.Actor;
import org.nhsv2.platform.vault.PersonalDataVault.Binding;
import org.nhsv2.platform.vault.PersonalDataVault;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;
import static org.nhsv2.appointment.api.AppointmentError.MAX_DURATION_MINUTES;
import static org.nhsv2.appointment.api.AppointmentError.MAX_REASON_LENGTH;
import static org.nhsv2.appointment.api.AppointmentError.MIN_DURATION_MINUTES;

/**
 * One appointment of a patient with a doctor at a facility. The acting user arrives in each
 * command's metadata; time comes from the injected {@link Clock}.
 */
@Aggregate
class Appointment {

    @AggregateIdentifier
    private UUID appointmentId;
    private UUID facilityId;
    private UUID patientId;
    private Instant start;
    private int durationMinutes;
    private AppointmentStatus status;
    /** Emails whose fate is known: a repeated answer records nothing new. */
    private final Set<UUID> answeredEmails = new HashSet<>();
    /**
     * Of those, the ones delivered. A delivery after a failure is still news: the saga records one when it
     * gives up waiting for an answer (three requests unanswered for ten minutes each), while notification-service
     * may still send that very request once its provider is back (it waits up to an hour).
     */
    private final Set<UUID> deliveredEmails = new HashSet<>();

    Appointment() {
        // Required by Axon to rebuild the aggregate from its events.
    }

    @CommandHandler
    Appointment(BookAppointmentCommand command, Actor actor, Clock clock, BookingRequests requests,
                FacilityDirectory staff, SlotClaims claims, PersonalDataVault vault) {
        requireDoctorOf(command.facilityId(), actor);
        if (command.idempotencyKey() != null) {
            // First, so a retry is recognised before it could collide with its own slot.
            requests.remember(command.idempotencyKey(), command);
        }
        if (!staff.exists(command.facilityId())) {
            throw new AppointmentRejectedException(AppointmentError.UNKNOWN_FACILITY);
        }
        if (!actor.is(command.doctorId()) && !staff.worksAt(command.doctorId(), command.facilityId())) {
            throw new AppointmentRejectedException(AppointmentError.DOCTOR_NOT_IN_FACILITY);
        }
        requireValidTime(command.start(), command.durationMinutes(), clock.instant());
        requireReasonLength(command.reason());

        claims.claim(command.appointmentId(), command.doctorId(), command.patientId(),
                command.start(), end(command.start(), command.durationMinutes()));
        PersonalDataVault.Sealer sealer = vault.sealerFor(command.patientId());
        UUID id = command.appointmentId();
        apply(new AppointmentBookedEvent(id, command.facilityId(), command.doctorId(), command.patientId(),
                sealer.seal(command.patientName(), Binding.of(id, SealedFields.PATIENT_NAME)),
                sealer.seal(command.patientEmail(), Binding.of(id, SealedFields.PATIENT_EMAIL)),
                command.start(), command.durationMinutes(),
                sealer.seal(command.reason(), Binding.of(id, SealedFields.REASON))));
    }

    @CommandHandler
    void handle(RescheduleAppointmentCommand command, Actor actor, Clock clock, SlotClaims claims,
                PersonalDataVault vault) {
        requireDoctorOf(facilityId, actor);
        requireBooked();
        Instant now = clock.instant();
        if (!now.isBefore(start)) {
            throw new AppointmentRejectedException(AppointmentError.ALREADY_STARTED);
        }
        Instant newStart = command.start() != null ? command.start() : start;
        int newDuration = command.durationMinutes() != null ? command.durationMinutes() : durationMinutes;
        if (newStart.equals(start) && newDuration == durationMinutes) {
            throw new AppointmentRejectedException(AppointmentError.NOTHING_TO_CHANGE);
        }
        requireValidTime(newStart, newDuration, now);
        requireReason(command.reason());

        claims.move(appointmentId, newStart, end(newStart, newDuration));
        apply(new AppointmentRescheduledEvent(appointmentId, facilityId, patientId, start, durationMinutes,
                newStart, newDuration, vault.sealerFor(patientId).seal(command.reason(),
                Binding.of(appointmentId, SealedFields.RESCHEDULE_REASON))));
    }

    @CommandHandler
    void handle(CancelAppointmentCommand command, Actor actor, Clock clock, SlotClaims claims,
                PersonalDataVault vault) {
        if (actor != null && actor.role() == Actor.Role.PATIENT) {
            // Someone else's appointment does not exist as far as a patient can tell.
            if (!actor.is(patientId)) {
                throw new AppointmentRejectedException(AppointmentError.APPOINTMENT_NOT_FOUND);
            }
            requireBooked();
            if (!clock.instant().isBefore(start)) {
                throw new AppointmentRejectedException(AppointmentError.ALREADY_STARTED);
            }
        } else {
            requireDoctorOf(facilityId, actor);
            requireBooked();
        }
        requireReason(command.reason());

        claims.release(appointmentId);
        apply(new AppointmentCancelledEvent(appointmentId, facilityId, patientId, start,
                vault.sealerFor(patientId).seal(command.reason(), Binding.of(appointmentId, SealedFields.CANCELLATION_REASON))));
    }

    @CommandHandler
    void handle(MarkAppointmentFulfilledCommand command, Actor actor, Clock clock) {
        requireStartedAndBooked(actor, clock);
        apply(new AppointmentFulfilledEvent(appointmentId, facilityId, start));
    }

    @CommandHandler
    void handle(MarkAppointmentNoShowCommand command, Actor actor, Clock clock) {
        requireStartedAndBooked(actor, clock);
        apply(new AppointmentMarkedNoShowEvent(appointmentId, facilityId, start));
    }

    /** An answer may come after the appointment ended or was cancelled: it is recorded all the same. */
    @CommandHandler
    void handle(RecordEmailDeliveredCommand command) {
        if (deliveredEmails.contains(command.requestId())) {
            return;
        }
        apply(new ConfirmationDeliveredEvent(appointmentId, facilityId, start, command.requestId(),
                command.providerMessageId(), command.deliveredAt()));
    }

    @CommandHandler
    void handle(RecordEmailFailedCommand command) {
        if (answeredEmails.contains(command.requestId())) {
            return;
        }
        apply(new ConfirmationFailedEvent(appointmentId, facilityId, start, command.requestId(), command.reason(),
                command.permanent()));
    }

    @CommandHandler
    void handle(RecordEmailSupersededCommand command) {
        if (answeredEmails.contains(command.requestId())) {
            return;
        }
        apply(new ConfirmationSupersededEvent(appointmentId, facilityId, command.requestId(), command.supersededBy()));
    }

    @EventSourcingHandler
    void on(AppointmentBookedEvent event) {
        appointmentId = event.appointmentId();
        facilityId = event.facilityId();
        patientId = event.patientId();
        start = event.start();
        durationMinutes = event.durationMinutes();
        status = AppointmentStatus.BOOKED;
    }

    @EventSourcingHandler
    void on(AppointmentRescheduledEvent event) {
        start = event.start();
        durationMinutes = event.durationMinutes();
    }

    @EventSourcingHandler
    void on(AppointmentCancelledEvent event) {
        status = AppointmentStatus.CANCELLED;
    }

    @EventSourcingHandler
    void on(AppointmentFulfilledEvent event) {
        status = AppointmentStatus.FULFILLED;
    }

    @EventSourcingHandler
    void on(AppointmentMarkedNoShowEvent event) {
        status = AppointmentStatus.NO_SHOW;
    }

    @EventSourcingHandler
    void on(ConfirmationDeliveredEvent event) {
        answeredEmails.add(event.requestId());
        deliveredEmails.add(event.requestId());
    }

    @EventSourcingHandler
    void on(ConfirmationFailedEvent event) {
        if (event.permanent()) {
            answeredEmails.add(event.requestId());
        }
    }

    @EventSourcingHandler
    void on(ConfirmationSupersededEvent event) {
        answeredEmails.add(event.requestId());
    }

    private void requireStartedAndBooked(Actor actor, Clock clock) {
        requireDoctorOf(facilityId, actor);
        requireBooked();
        if (clock.instant().isBefore(start)) {
            throw new AppointmentRejectedException(AppointmentError.NOT_STARTED);
        }
    }

    private void requireBooked() {
        if (status.isFinal()) {
            throw new AppointmentRejectedException(AppointmentError.NOT_BOOKED);
        }
    }

    private static void requireDoctorOf(UUID facility, Actor actor) {
        if (actor == null || !actor.worksAt(facility)) {
            throw new AppointmentRejectedException(AppointmentError.FACILITY_FORBIDDEN);
        }
    }

    private static void requireValidTime(Instant start, int durationMinutes, Instant now) {
        if (!start.isAfter(now)) {
            throw new AppointmentRejectedException(AppointmentError.START_IN_PAST);
        }
        if (!AppointmentTimes.isOnWholeMinute(start)) {
            throw new AppointmentRejectedException(AppointmentError.START_NOT_ON_WHOLE_MINUTE);
        }
        if (!AppointmentTimes.isWithinBookingHorizon(start, now)) {
            throw new AppointmentRejectedException(AppointmentError.START_TOO_FAR_AHEAD);
        }
        if (durationMinutes < MIN_DURATION_MINUTES || durationMinutes > MAX_DURATION_MINUTES) {
            throw new AppointmentRejectedException(AppointmentError.INVALID_DURATION);
        }
    }

    private static void requireReason(String reason) {
        if (reason == null || reason.isBlank()) {
            throw new AppointmentRejectedException(AppointmentError.REASON_REQUIRED);
        }
        requireReasonLength(reason);
    }

    private static void requireReasonLength(String reason) {
        if (reason != null && reason.length() > MAX_REASON_LENGTH) {
            throw new AppointmentRejectedException(AppointmentError.REASON_TOO_LONG);
        }
    }

    private static Instant end(Instant start, int durationMinutes) {
        return start.plus(Duration.ofMinutes(durationMinutes));
    }
}
