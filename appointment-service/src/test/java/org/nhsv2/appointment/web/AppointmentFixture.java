package org.nhsv2.appointment.web;

import org.nhsv2.appointment.api.AppointmentStatus;
import org.nhsv2.appointment.api.AppointmentView;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

/** Builds {@link AppointmentView}s: a booked 30-minute appointment unless told otherwise. */
final class AppointmentFixture {

    static final Instant START = Instant.parse("2030-01-02T09:00:00Z");

    private UUID appointmentId = UUID.randomUUID();
    private UUID facilityId = UUID.randomUUID();
    private UUID doctorId = UUID.randomUUID();
    private UUID patientId = UUID.randomUUID();
    private Instant start = START;
    private int durationMinutes = 30;
    private AppointmentStatus status = AppointmentStatus.BOOKED;
    private String cancellationReason;
    private long version;

    private AppointmentFixture() {
    }

    static AppointmentFixture appointment() {
        return new AppointmentFixture();
    }

    AppointmentFixture id(UUID id) {
        this.appointmentId = id;
        return this;
    }

    AppointmentFixture at(UUID facility) {
        this.facilityId = facility;
        return this;
    }

    AppointmentFixture doctor(UUID doctor) {
        this.doctorId = doctor;
        return this;
    }

    AppointmentFixture patient(UUID patient) {
        this.patientId = patient;
        return this;
    }

    AppointmentFixture start(Instant newStart) {
        this.start = newStart;
        return this;
    }

    AppointmentFixture duration(int minutes) {
        this.durationMinutes = minutes;
        return this;
    }

    AppointmentFixture status(AppointmentStatus newStatus) {
        this.status = newStatus;
        this.version++;
        return this;
    }

    AppointmentFixture cancelled(String reason) {
        this.cancellationReason = reason;
        return status(AppointmentStatus.CANCELLED);
    }

    AppointmentView view() {
        return new AppointmentView(appointmentId, facilityId, doctorId, patientId, "Ada Lovelace",
                "ada@example.org", start, start.plus(durationMinutes, ChronoUnit.MINUTES), durationMinutes,
                "Check-up", status, cancellationReason, null, null, version);
    }
}
