package org.nhsv2.appointment.web;

import jakarta.validation.constraints.Future;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import org.nhsv2.appointment.api.BookAppointmentCommand;
import org.nhsv2.platform.api.IdempotencyKey;
import org.nhsv2.platform.web.EmailAddress;
import org.nhsv2.platform.web.PlainText;
import org.nhsv2.platform.web.UserText;

import java.time.Instant;
import java.util.UUID;

/**
 * {@code doctorId} defaults to the caller; {@code durationMinutes} to 30. Text is normalised (see
 * {@link UserText}) before it is validated, so the rules see what would be stored.
 */
record BookAppointmentRequest(
        @NotNull UUID facilityId,
        UUID doctorId,
        @NotNull UUID patientId,
        @NotBlank @Size(max = 200) @PlainText String patientName,
        @NotBlank @EmailAddress @Size(max = 254) @PlainText String patientEmail,
        @NotNull @Future @WholeMinute @WithinBookingHorizon Instant start,
        @Min(5) @Max(240) Integer durationMinutes,
        @Size(max = 500) @PlainText(lineBreaks = true) String reason) {

    static final int DEFAULT_DURATION_MINUTES = 30;

    BookAppointmentRequest {
        patientName = UserText.singleLine(patientName);
        patientEmail = UserText.singleLine(patientEmail);
        reason = UserText.multiLine(reason);
    }

    BookAppointmentCommand toCommand(UUID appointmentId, UUID callerId, IdempotencyKey idempotencyKey) {
        return new BookAppointmentCommand(appointmentId, facilityId, doctorId != null ? doctorId : callerId, patientId,
                patientName, patientEmail, start, durationMinutes != null ? durationMinutes : DEFAULT_DURATION_MINUTES,
                reason == null || reason.isEmpty() ? null : reason, idempotencyKey);
    }

    /** Personal data stays out of logs. */
    @Override
    public String toString() {
        return "BookAppointmentRequest[facilityId=" + facilityId + ", doctorId=" + doctorId + ", patientId=" + patientId
                + ", start=" + start + ", durationMinutes=" + durationMinutes + ", personal data redacted]";
    }
}
