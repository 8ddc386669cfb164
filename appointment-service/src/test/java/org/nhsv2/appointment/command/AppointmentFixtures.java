package org.nhsv2.appointment.command;

import org.nhsv2.appointment.api.AppointmentBookedEvent;
import org.nhsv2.appointment.api.AppointmentCancelledEvent;
import org.nhsv2.appointment.api.AppointmentFulfilledEvent;
import org.nhsv2.appointment.api.AppointmentMarkedNoShowEvent;
import org.nhsv2.appointment.api.AppointmentRescheduledEvent;
import org.nhsv2.appointment.api.BookAppointmentCommand;
import org.nhsv2.appointment.api.MarkAppointmentFulfilledCommand;
import org.nhsv2.appointment.api.MarkAppointmentNoShowCommand;
import org.nhsv2.appointment.api.SealedFields;
import org.nhsv2.platform.api.Actor;
import org.nhsv2.platform.api.EncryptedText;
import org.nhsv2.platform.api.IdempotencyKey;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.Supplier;

/** Actors, a fixed clock and a default booking for the {@link Appointment} tests. */
final class AppointmentFixtures {

    static final Instant NOW = Instant.parse("2030-03-04T09:00:00Z");
    static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

    static final UUID FACILITY_A = UUID.fromString("a0000000-0000-0000-0000-00000000000a");
    static final UUID FACILITY_B = UUID.fromString("b0000000-0000-0000-0000-00000000000b");
    /** Listed in a doctor's token but unknown to the facility table. */
    static final UUID UNKNOWN_FACILITY = UUID.fromString("c0000000-0000-0000-0000-00000000000c");

    static final Actor DOCTOR_A = doctor("d0000000-0000-0000-0000-0000000000a1", FACILITY_A);
    static final Actor COLLEAGUE_A = doctor("d0000000-0000-0000-0000-0000000000a2", FACILITY_A);
    static final Actor DOCTOR_B = doctor("d0000000-0000-0000-0000-0000000000b1", FACILITY_B);
    static final Actor DOCTOR_OF_UNKNOWN_FACILITY =
            doctor("d0000000-0000-0000-0000-0000000000c1", FACILITY_A, UNKNOWN_FACILITY);
    static final Actor ADMIN = new Actor(UUID.fromString("ad000000-0000-0000-0000-000000000001"),
            Actor.Role.ADMIN, Set.of(FACILITY_A));
    static final Actor PATIENT = patient("e0000000-0000-0000-0000-000000000001");
    static final Actor OTHER_PATIENT = patient("e0000000-0000-0000-0000-000000000002");

    static final UUID APPOINTMENT_ID = UUID.fromString("f0000000-0000-0000-0000-000000000001");

    static final String REASON_OF_MAX_LENGTH = "r".repeat(500);
    static final String REASON_TOO_LONG = "r".repeat(501);

    private AppointmentFixtures() {
    }

    static Actor doctor(String id, UUID... facilities) {
        return new Actor(UUID.fromString(id), Actor.Role.DOCTOR, Set.of(facilities));
    }

    static Actor patient(String id) {
        return new Actor(UUID.fromString(id), Actor.Role.PATIENT, Set.of());
    }

    /**
     * What the stubbed vault returns, naming the appointment and field the value is bound to, so events
     * can be compared exactly and a value sealed for the wrong record or field shows.
     */
    static EncryptedText sealed(UUID appointmentId, String field, String clearText) {
        return clearText == null ? null : new EncryptedText("sealed:" + appointmentId + ":" + field + ":" + clearText);
    }

    static Instant end(Instant start, int durationMinutes) {
        return start.plus(Duration.ofMinutes(durationMinutes));
    }

    /** Tomorrow 09:00, 30 minutes with {@link #DOCTOR_A} at {@link #FACILITY_A} for {@link #PATIENT}. */
    static Booking booking() {
        return new Booking(APPOINTMENT_ID, FACILITY_A, DOCTOR_A.id(), PATIENT.id(), "Ada Lovelace",
                "ada@example.org", NOW.plus(Duration.ofDays(1)), 30, "Persistent cough", null);
    }

    /** A booking whose start lies before {@link #NOW}, as only history (given events) can hold it. */
    static Booking startedBooking() {
        return booking().startingAt(NOW.minus(Duration.ofMinutes(10)));
    }

    record Booking(UUID appointmentId, UUID facilityId, UUID doctorId, UUID patientId, String patientName,
                   String patientEmail, Instant start, int durationMinutes, String reason,
                   IdempotencyKey idempotencyKey) {

        Booking startingAt(Instant newStart) {
            return new Booking(appointmentId, facilityId, doctorId, patientId, patientName, patientEmail,
                    newStart, durationMinutes, reason, idempotencyKey);
        }

        Booking lasting(int minutes) {
            return new Booking(appointmentId, facilityId, doctorId, patientId, patientName, patientEmail,
                    start, minutes, reason, idempotencyKey);
        }

        Booking withReason(String newReason) {
            return new Booking(appointmentId, facilityId, doctorId, patientId, patientName, patientEmail,
                    start, durationMinutes, newReason, idempotencyKey);
        }

        Booking withDoctor(UUID newDoctorId) {
            return new Booking(appointmentId, facilityId, newDoctorId, patientId, patientName, patientEmail,
                    start, durationMinutes, reason, idempotencyKey);
        }

        Booking atFacility(UUID newFacilityId) {
            return new Booking(appointmentId, newFacilityId, doctorId, patientId, patientName, patientEmail,
                    start, durationMinutes, reason, idempotencyKey);
        }

        Booking withIdempotencyKey(IdempotencyKey key) {
            return new Booking(appointmentId, facilityId, doctorId, patientId, patientName, patientEmail,
                    start, durationMinutes, reason, key);
        }

        Instant end() {
            return AppointmentFixtures.end(start, durationMinutes);
        }

        BookAppointmentCommand command() {
            return new BookAppointmentCommand(appointmentId, facilityId, doctorId, patientId, patientName,
                    patientEmail, start, durationMinutes, reason, idempotencyKey);
        }

        AppointmentBookedEvent bookedEvent() {
            return new AppointmentBookedEvent(appointmentId, facilityId, doctorId, patientId,
                    sealed(appointmentId, SealedFields.PATIENT_NAME, patientName),
                    sealed(appointmentId, SealedFields.PATIENT_EMAIL, patientEmail), start, durationMinutes,
                    sealed(appointmentId, SealedFields.REASON, reason));
        }

        AppointmentRescheduledEvent rescheduledEvent(Instant newStart, int newDuration, String why) {
            return new AppointmentRescheduledEvent(appointmentId, facilityId, patientId, start, durationMinutes,
                    newStart, newDuration, sealed(appointmentId, SealedFields.RESCHEDULE_REASON, why));
        }

        AppointmentCancelledEvent cancelledEvent(String why) {
            return new AppointmentCancelledEvent(appointmentId, facilityId, patientId, start,
                    sealed(appointmentId, SealedFields.CANCELLATION_REASON, why));
        }

        AppointmentFulfilledEvent fulfilledEvent() {
            return new AppointmentFulfilledEvent(appointmentId, facilityId, start);
        }

        AppointmentMarkedNoShowEvent noShowEvent() {
            return new AppointmentMarkedNoShowEvent(appointmentId, facilityId, start);
        }
    }

    /** The ways an appointment stops being booked, as the event that ends it. */
    enum Ending {
        CANCELLED(booking -> booking.cancelledEvent("Patient moved away")),
        FULFILLED(Booking::fulfilledEvent),
        NO_SHOW(Booking::noShowEvent);

        private final Function<Booking, Object> event;

        Ending(Function<Booking, Object> event) {
            this.event = event;
        }

        Object event(Booking booking) {
            return event.apply(booking);
        }
    }

    /** What a doctor records once an appointment has started: the command and the event it gives. */
    enum Outcome {
        FULFILLED(() -> new MarkAppointmentFulfilledCommand(APPOINTMENT_ID), Booking::fulfilledEvent),
        NO_SHOW(() -> new MarkAppointmentNoShowCommand(APPOINTMENT_ID), Booking::noShowEvent);

        private final Supplier<Object> command;
        private final Function<Booking, Object> event;

        Outcome(Supplier<Object> command, Function<Booking, Object> event) {
            this.command = command;
            this.event = event;
        }

        Object command() {
            return command.get();
        }

        Object event(Booking booking) {
            return event.apply(booking);
        }
    }
}
