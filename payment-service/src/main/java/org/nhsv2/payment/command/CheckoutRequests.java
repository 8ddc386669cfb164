package org.nhsv2.payment.command;

import org.nhsv2.payment.api.InitiateCheckoutCommand;
import org.nhsv2.payment.api.PaymentError;
import org.nhsv2.payment.api.PaymentRejection;
import org.nhsv2.platform.idempotency.IdempotencyKeys;
import org.nhsv2.platform.idempotency.RememberedRequests;
import org.nhsv2.platform.idempotency.RequestFingerprints;
import org.springframework.stereotype.Component;

/**
 * A checkout's {@code Idempotency-Key}, remembered in the checkout's own transaction with a keyed
 * fingerprint of everything it asks for (its service-chosen id aside); seen before, it is rejected with
 * {@link PaymentError#DUPLICATE_REQUEST} or {@link PaymentError#IDEMPOTENCY_KEY_REUSED}.
 */
@Component
class CheckoutRequests extends RememberedRequests<InitiateCheckoutCommand> {

    CheckoutRequests(IdempotencyKeys keys, RequestFingerprints fingerprints) {
        super(keys, fingerprints, CheckoutRequests::request,
                original -> new TransactionRejectedException(new PaymentRejection(PaymentError.DUPLICATE_REQUEST,
                        PaymentError.DUPLICATE_REQUEST.title(), original)),
                () -> new TransactionRejectedException(PaymentError.IDEMPOTENCY_KEY_REUSED));
    }

    private static Request request(InitiateCheckoutCommand command) {
        return new Request(command.transactionId(), command.patientId(), command.facilityId(), command.patientId(),
                command.patientName(), command.patientEmail(), command.items(), command.appointmentId());
    }
}
