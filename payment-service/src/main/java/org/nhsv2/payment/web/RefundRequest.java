package org.nhsv2.payment.web;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import org.nhsv2.payment.api.PaymentError;
import org.nhsv2.platform.web.PlainText;
import org.nhsv2.platform.web.UserText;

/** {@code amount} in minor units of the transaction's currency, at most what is left to refund. */
record RefundRequest(
        @NotNull @Min(1) @Max(100_000_000_000L) Long amount,
        @NotBlank @Size(max = PaymentError.MAX_REASON_LENGTH) @PlainText(lineBreaks = true) String reason) {

    RefundRequest {
        reason = UserText.multiLine(reason);
    }

    /** The reason is free text: it stays out of logs. */
    @Override
    public String toString() {
        return "RefundRequest[amount=" + amount + ", reason redacted]";
    }
}
