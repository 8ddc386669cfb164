package org.nhsv2.platform.idempotency;

import org.nhsv2.platform.api.IdempotencyKey;

import java.util.UUID;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The {@code Idempotency-Key}s of one kind of creating command, each remembered in the command's own
 * transaction with a keyed fingerprint of everything the command asks for (the id the service chose
 * aside): the same request again is rejected as a replay that names what the first one created, the key
 * with another request as reused. A service names, for its command, the {@link Request} and the two
 * rejections.
 *
 * @param <C> the command
 */
public class RememberedRequests<C> {

    /**
     * What a command is remembered by.
     *
     * @param resultId  the id of what it creates, which a replay is answered with
     * @param patientId whom it is about, so that an erasure deletes the record
     * @param asks      every value it asks for, and nothing the service chose
     */
    public record Request(UUID resultId, UUID patientId, Object... asks) {
    }

    private final IdempotencyKeys keys;
    private final RequestFingerprints fingerprints;
    private final Function<C, Request> request;
    private final Function<UUID, ? extends RuntimeException> replay;
    private final Supplier<? extends RuntimeException> reused;

    /**
     * @param replay what a replay is rejected with, given the id of what the first request created
     * @param reused what the key used before with another request is rejected with
     */
    protected RememberedRequests(IdempotencyKeys keys, RequestFingerprints fingerprints, Function<C, Request> request,
                                 Function<UUID, ? extends RuntimeException> replay,
                                 Supplier<? extends RuntimeException> reused) {
        this.keys = keys;
        this.fingerprints = fingerprints;
        this.request = request;
        this.replay = replay;
        this.reused = reused;
    }

    /** Remembers a first use of the key; for a request seen before, throws the replay or the reuse rejection. */
    public void remember(IdempotencyKey key, C command) {
        Request asked = request.apply(command);
        keys.requireFirst(key, fingerprints.of(asked.asks()), asked.resultId(), asked.patientId(), replay, reused);
    }

    public String fingerprint(C command) {
        return fingerprints.of(request.apply(command).asks());
    }
}
