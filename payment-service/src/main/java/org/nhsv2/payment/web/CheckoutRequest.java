package org.nhsv2.payment.web;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import org.nhsv2.payment.api.PaymentError;
import org.nhsv2.payment.api.RequestedItem;
import org.nhsv2.platform.web.EmailAddress;
import org.nhsv2.platform.web.PlainText;
import org.nhsv2.platform.web.UserText;

import java.util.List;
import java.util.UUID;

/**
 * A payment from the catalogue. No price, amount, total or currency: they come from the catalogue, and
 * any such field is an unknown field (400). A doctor names the patient; for a patient the id, name and
 * email come from their token, so they may leave them out.
 */
record CheckoutRequest(
        @NotNull UUID facilityId,
        UUID patientId,
        @Size(min = 1, max = 200) @PlainText String patientName,
        @EmailAddress @Size(min = 3, max = 254) @PlainText String patientEmail,
        @NotEmpty @Size(max = PaymentError.MAX_ITEMS) List<@NotNull @Valid Item> items,
        UUID appointmentId) {

    CheckoutRequest {
        patientName = UserText.singleLine(patientName);
        patientEmail = UserText.singleLine(patientEmail);
    }

    record Item(@NotNull UUID productId,
                @NotNull @Min(1) @Max(PaymentError.MAX_QUANTITY) Integer quantity) {

        RequestedItem toRequested() {
            return new RequestedItem(productId, quantity);
        }
    }

    /** Personal data stays out of logs. */
    @Override
    public String toString() {
        return "CheckoutRequest[facilityId=" + facilityId + ", patientId=" + patientId + ", items=" + items
                + ", appointmentId=" + appointmentId + ", personal data redacted]";
    }
}
