package org.nhsv2.payment.web;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import org.nhsv2.platform.web.PlainText;
import org.nhsv2.platform.web.UserText;

/** A new product; {@code unitAmount} in minor units, {@code active} defaults to true. */
record ProductRequest(
        @NotBlank @Size(max = 200) @PlainText String name,
        @NotNull @Min(1) @Max(ProductRequest.MAX_UNIT_AMOUNT) Long unitAmount,
        @NotNull @Pattern(regexp = ProductRequest.CURRENCIES, message = "must be one of GBP, EUR, USD") String currency,
        Boolean active) {

    /** Currencies with two decimal places that Stripe Checkout takes; amounts are in their minor units. */
    static final String CURRENCIES = "GBP|EUR|USD";
    static final long MAX_UNIT_AMOUNT = 100_000_000L;

    ProductRequest {
        name = UserText.singleLine(name);
    }
}
