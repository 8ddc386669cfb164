package org.nhsv2.appointment.command;

import org.junit.jupiter.api.Test;
import org.nhsv2.appointment.IntegrationTest;
import org.nhsv2.platform.idempotency.IdempotencyRetention;
import org.nhsv2.platform.testing.Api;
import org.springframework.beans.factory.annotation.Autowired;

import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.nhsv2.platform.testing.DemoUsers.ALICE;
import static org.nhsv2.platform.testing.DemoUsers.RIVERSIDE;

class BookingRequestRetentionIT extends IntegrationTest {

    @Autowired
    private IdempotencyRetention retention;

    @Test
    void shouldForgetIdempotencyKeysOlderThanTheRetentionAndKeepRecentOnes() {
        Api alice = as(ALICE);
        String oldKey = UUID.randomUUID().toString();
        String recentKey = UUID.randomUUID().toString();
        alice.post("/api/appointments", booking(RIVERSIDE, UUID.randomUUID(), freeSlot()), Map.of("Idempotency-Key", oldKey));
        alice.post("/api/appointments", booking(RIVERSIDE, UUID.randomUUID(), freeSlot()), Map.of("Idempotency-Key", recentKey));
        jdbc.update("update idempotency_key set created_at = now() - interval '25 hours' where idempotency_key = ?", oldKey);

        assertThat(retention.purge()).isPositive();

        assertThat(keyCount(oldKey)).isZero();
        assertThat(keyCount(recentKey)).isEqualTo(1);
    }

    private int keyCount(String key) {
        return jdbc.queryForObject("select count(*) from idempotency_key where idempotency_key = ?", Integer.class, key);
    }
}
