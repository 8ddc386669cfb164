package org.nhsv2.payment.command;

import org.nhsv2.payment.api.InitiateCheckoutCommand;
import org.nhsv2.payment.api.PaymentError;
import org.nhsv2.payment.api.PaymentRejection;
import org.nhsv2.platform.api.IdempotencyKey;
import org.nhsv2.platform.idempotency.IdempotencyKeys;
import org.nhsv2.platform.idempotency.RequestFingerprints;
import org.springframework.stereotype.Component;

/**
 * A checkout's {@code Idempotency-Key}, remembered in the checkout's own transaction with a keyed
 * fingerprint of everything it asks for (its service-chosen id aside).
 */
@Component
class CheckoutRequests {

    private final IdempotencyKeys keys;
    private final RequestFingerprints fingerprints;

    CheckoutRequests(IdempotencyKeys keys, RequestFingerprints fingerprints) {
        this.keys = keys;
        this.fingerprints = fingerprints;
    }

    /** Throws {@link PaymentError#DUPLICATE_REQUEST} or {@link PaymentError#IDEMPOTENCY_KEY_REUSED} if seen before. */
    void remember(IdempotencyKey key, InitiateCheckoutCommand command) {
        keys.requireFirst(key, fingerprint(command), command.transactionId(), command.patientId(),
                original -> new TransactionRejectedException(new PaymentRejection(PaymentError.DUPLICATE_REQUEST,
                        PaymentError.DUPLICATE_REQUEST.title(), original)),
                () -> new TransactionRejectedException(PaymentError.IDEMPOTENCY_KEY_REUSED));
    }

    String fingerprint(InitiateCheckoutCommand command) {
        return fingerprints.of(command.facilityId(), command.patientId(), command.patientName(), command.patientEmail(),
                command.items(), command.appointmentId());
    }
}
