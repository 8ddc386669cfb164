package org.nhsv2.platform.problem;

import org.axonframework.commandhandling.CommandExecutionException;
import org.nhsv2.platform.api.ErrorCode;
import org.nhsv2.platform.api.Rejection;

import java.util.Arrays;
import java.util.Optional;

/**
 * The {@link Rejection} a refused command's exception carries as its details (see {@link RejectionTranslator}),
 * read the same way wherever a caller decides by it: the edge's problem answer, a listener dropping what cannot
 * become right by trying again.
 */
public final class Rejections {

    private Rejections() {
    }

    /** Empty when the command failed otherwise than by a business rule. */
    public static Optional<Rejection> of(CommandExecutionException e) {
        return e.<Rejection>getDetails().filter(Rejection.class::isInstance);
    }

    /** Present when the command was refused as one of {@code errors}; told by code, the same on any node. */
    public static Optional<Rejection> asAnyOf(CommandExecutionException e, ErrorCode... errors) {
        return of(e).filter(rejection -> Arrays.stream(errors).anyMatch(error -> error.code().equals(rejection.code())));
    }
}
