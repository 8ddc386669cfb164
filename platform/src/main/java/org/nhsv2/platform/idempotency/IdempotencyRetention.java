package org.nhsv2.platform.idempotency;

import org.springframework.scheduling.annotation.Scheduled;

import java.time.Clock;
import java.time.Duration;

/**
 * Forgets Idempotency-Keys once clients have stopped retrying (a day by default, as payment APIs
 * do), so the table does not grow forever. Safe on any number of instances: it only deletes.
 */
public class IdempotencyRetention {

    private final IdempotencyKeys keys;
    private final Clock clock;
    private final Duration retention;

    public IdempotencyRetention(IdempotencyKeys keys, Clock clock, IdempotencySettings settings) {
        this.keys = keys;
        this.clock = clock;
        this.retention = settings.retention();
    }

    @Scheduled(fixedDelayString = "${nhsv2.idempotency.purge-interval:1h}",
            initialDelayString = "${nhsv2.idempotency.purge-interval:1h}")
    public int purge() {
        return keys.forgetOlderThan(clock.instant().minus(retention));
    }
}
