package org.nhsv2.platform.web;

import org.nhsv2.platform.api.IdempotencyKey;
import org.nhsv2.platform.problem.Problems;
import org.springframework.http.HttpStatus;
import org.springframework.web.ErrorResponseException;

import java.util.UUID;
import java.util.regex.Pattern;

/** The {@code Idempotency-Key} request header, scoped to the caller who sends it. */
public final class IdempotencyKeyHeader {

    public static final String NAME = "Idempotency-Key";
    /** Set on the answer to a retry that the original request's result answers. */
    public static final String REPLAYED = "Idempotent-Replayed";
    static final int MAX_LENGTH = 200;
    private static final Pattern FORMAT = Pattern.compile("[!-~]{1," + MAX_LENGTH + "}");

    private IdempotencyKeyHeader() {
    }

    /**
     * {@code null} when no key was sent; 400 {@code invalid-idempotency-key} unless it is 1 to 200
     * printable ASCII characters (it is echoed in logs and compared byte for byte).
     */
    public static IdempotencyKey parse(String header, UUID callerId) {
        if (header == null) {
            return null;
        }
        if (!FORMAT.matcher(header).matches()) {
            throw new ErrorResponseException(HttpStatus.BAD_REQUEST, Problems.of(HttpStatus.BAD_REQUEST,
                    "invalid-idempotency-key", "Invalid Idempotency-Key",
                    "The Idempotency-Key header must be 1 to " + MAX_LENGTH + " printable ASCII characters without spaces"),
                    null);
        }
        return new IdempotencyKey(callerId, header);
    }
}
