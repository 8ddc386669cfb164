package org.nhsv2.payment.web;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import org.nhsv2.payment.api.PaymentError;
import org.nhsv2.platform.web.PlainText;
import org.nhsv2.platform.web.UserText;

/**
 * What to change of a product; a field left out keeps its value. The currency never changes: a
 * product in another currency is another product. Transactions already made keep their snapshot.
 * {@code reason} is required: a price change is recorded with who made it and why.
 */
record ProductChange(
        @Size(min = 1, max = 200) @PlainText String name,
        @Min(1) @Max(ProductRequest.MAX_UNIT_AMOUNT) Long unitAmount,
        Boolean active,
        @NotBlank @Size(max = PaymentError.MAX_REASON_LENGTH) @PlainText(lineBreaks = true) String reason) {

    ProductChange {
        name = UserText.singleLine(name);
        reason = UserText.multiLine(reason);
    }
}
