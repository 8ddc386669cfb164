package org.nhsv2.platform.problem;

import org.nhsv2.platform.api.Rejection;

/**
 * A business rule said no, thrown from a command handler; {@link RejectionTranslator} turns it into a
 * {@code CommandExecutionException} carrying the {@link Rejection}. No stack trace: it is an answer,
 * not a fault.
 */
public class RejectedException extends RuntimeException {

    private final transient Rejection rejection;

    public RejectedException(Rejection rejection) {
        super(rejection.detail(), null, false, false);
        this.rejection = rejection;
    }

    public Rejection rejection() {
        return rejection;
    }
}
