package org.nhsv2.platform.idempotency;

import org.junit.jupiter.api.Test;
import org.nhsv2.platform.api.IdempotencyKey;
import org.springframework.jdbc.core.JdbcTemplate;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

class IdempotencyKeysTest {

    private static final IdempotencyKey KEY = new IdempotencyKey(UUID.randomUUID(), "key-1");
    private static final UUID RESULT = UUID.randomUUID();

    private final JdbcTemplate jdbc = mock(JdbcTemplate.class);
    private final IdempotencyKeys keys = new IdempotencyKeys(jdbc);

    /**
     * The insert met the key, and the key was deleted before it could be read (the patient's erasure, or the purge of
     * old keys, committed between the two statements): the key is free, and this is its first use. It had been a 500.
     */
    @Test
    void shouldTakeAKeyDeletedBetweenMeetingItAndReadingItAsAFirstUse() {
        when(jdbc.update(anyString(), any(Object[].class))).thenReturn(0, 1);
        when(jdbc.queryForList(anyString(), any(Object[].class))).thenReturn(List.of());

        IdempotencyKeys.Outcome outcome = keys.remember(KEY, "fingerprint", RESULT, UUID.randomUUID());

        assertThat(outcome).isEqualTo(new IdempotencyKeys.Outcome.First());
        verify(jdbc, times(2)).update(anyString(), any(Object[].class));
    }

    @Test
    void shouldGiveUpRatherThanSpinWhenTheKeyIsNeitherStoredNorFound() {
        when(jdbc.update(anyString(), any(Object[].class))).thenReturn(0);
        when(jdbc.queryForList(anyString(), any(Object[].class))).thenReturn(List.of());

        assertThatThrownBy(() -> keys.remember(KEY, "fingerprint", RESULT, null)).isInstanceOf(IllegalStateException.class);
        verify(jdbc, times(5)).update(anyString(), any(Object[].class));
    }

    @Test
    void shouldTellAReplayFromAReuseByTheStoredFingerprint() {
        when(jdbc.update(anyString(), any(Object[].class))).thenReturn(0);
        when(jdbc.queryForList(anyString(), any(Object[].class)))
                .thenReturn(List.of(Map.of("request_fingerprint", "fingerprint", "result_id", RESULT)));

        assertThat(keys.remember(KEY, "fingerprint", UUID.randomUUID(), null))
                .isEqualTo(new IdempotencyKeys.Outcome.Replay(RESULT));
        assertThat(keys.remember(KEY, "another", UUID.randomUUID(), null))
                .isEqualTo(new IdempotencyKeys.Outcome.Reused());
    }
}
