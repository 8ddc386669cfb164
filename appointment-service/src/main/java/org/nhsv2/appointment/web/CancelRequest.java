package org.nhsv2.appointment.web;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import org.nhsv2.platform.web.PlainText;
import org.nhsv2.platform.web.UserText;

record CancelRequest(@NotBlank @Size(max = 500) @PlainText(lineBreaks = true) String reason) {

    CancelRequest {
        reason = UserText.multiLine(reason);
    }

    @Override
    public String toString() {
        return "CancelRequest[reason redacted]";
    }
}
