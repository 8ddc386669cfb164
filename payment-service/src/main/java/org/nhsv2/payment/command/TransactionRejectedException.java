package org.nhsv2.payment.command;

import org.nhsv2.payment.api.PaymentError;
import org.nhsv2.payment.api.PaymentRejection;
import org.nhsv2.platform.problem.RejectedException;

/** A business rule said no; turned into a {@code CommandExecutionException} at the handler's edge. */
public class TransactionRejectedException extends RejectedException {

    TransactionRejectedException(PaymentError error) {
        this(PaymentRejection.of(error));
    }

    TransactionRejectedException(PaymentRejection rejection) {
        super(rejection);
    }
}
