package org.nhsv2.payment.api;

import org.nhsv2.platform.api.CodedRejection;

import java.util.UUID;

/**
 * Travels as the details of a {@code CommandExecutionException}.
 *
 * @param originalTransactionId set only for {@link PaymentError#DUPLICATE_REQUEST}
 */
public record PaymentRejection(PaymentError error, String detail, UUID originalTransactionId) implements CodedRejection {

    public static PaymentRejection of(PaymentError error) {
        return new PaymentRejection(error, error.title(), null);
    }

    public static PaymentRejection of(PaymentError error, String detail) {
        return new PaymentRejection(error, detail, null);
    }
}
