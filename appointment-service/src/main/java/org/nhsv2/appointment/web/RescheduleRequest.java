package org.nhsv2.appointment.web;

import com.fasterxml.jackson.annotation.JsonIgnore;
import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.Future;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import org.nhsv2.platform.web.PlainText;
import org.nhsv2.platform.web.UserText;

import java.time.Instant;

/** A new start, a new duration or both, and why. */
record RescheduleRequest(
        @Future @WholeMinute @WithinBookingHorizon Instant start,
        @Min(5) @Max(240) Integer durationMinutes,
        @NotBlank @Size(max = 500) @PlainText(lineBreaks = true) String reason) {

    RescheduleRequest {
        reason = UserText.multiLine(reason);
    }

    @JsonIgnore
    @AssertTrue(message = "give a new start, a new duration or both")
    boolean isChangeRequested() {
        return start != null || durationMinutes != null;
    }

    @Override
    public String toString() {
        return "RescheduleRequest[start=" + start + ", durationMinutes=" + durationMinutes + ", reason redacted]";
    }
}
