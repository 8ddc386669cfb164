package org.nhsv2.platform.idempotency;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.nhsv2.platform.api.IdempotencyKey;
import org.nhsv2.platform.idempotency.IdempotencyKeys.Outcome;

import java.time.Duration;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.CALLS_REAL_METHODS;
import static org.mockito.Mockito.doReturn;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;

class RememberedRequestsTest {

    private static final String SECRET = "test-fingerprint-secret-0000000000000000";
    private static final IdempotencyKey KEY = new IdempotencyKey(UUID.randomUUID(), "key-1");
    private static final UUID PATIENT = UUID.randomUUID();

    /** A creating command: the id is the service's choice, the rest is what the caller asks for. */
    private record PlaceOrder(UUID orderId, UUID patientId, String item, int quantity) {
    }

    private static final class Replayed extends RuntimeException {
        Replayed(UUID original) {
            super(original.toString());
        }
    }

    private static final class Reused extends RuntimeException {
    }

    /** As a service writes it: the command's request and its two rejections. */
    private static final class OrderRequests extends RememberedRequests<PlaceOrder> {
        OrderRequests(IdempotencyKeys keys, RequestFingerprints fingerprints) {
            super(keys, fingerprints,
                    order -> new Request(order.orderId(), order.patientId(), order.patientId(), order.item(),
                            order.quantity()),
                    Replayed::new, Reused::new);
        }
    }

    private final RequestFingerprints fingerprints =
            new RequestFingerprints(new IdempotencySettings(Duration.ofHours(24), SECRET));
    private IdempotencyKeys keys;
    private OrderRequests requests;

    @BeforeEach
    void setUp() {
        keys = mock(IdempotencyKeys.class, CALLS_REAL_METHODS); // requireFirst as it is, remember stubbed
        requests = new OrderRequests(keys, fingerprints);
    }

    private void givenRemembering(Outcome outcome) {
        doReturn(outcome).when(keys).remember(any(), anyString(), any(), any());
    }

    @Test
    void shouldRememberTheKeyWithWhatTheCommandAsksForCreatesAndIsAboutWhenTheKeyIsNew() {
        givenRemembering(new Outcome.First());
        PlaceOrder order = new PlaceOrder(UUID.randomUUID(), PATIENT, "aspirin", 2);

        assertThatCode(() -> requests.remember(KEY, order)).doesNotThrowAnyException();

        verify(keys).remember(KEY, fingerprints.of(PATIENT, "aspirin", 2), order.orderId(), PATIENT);
    }

    @Test
    void shouldThrowTheReplayNamingWhatTheFirstRequestCreatedWhenTheSameRequestComesAgain() {
        UUID original = UUID.randomUUID();
        givenRemembering(new Outcome.Replay(original));

        assertThatThrownBy(() -> requests.remember(KEY, new PlaceOrder(UUID.randomUUID(), PATIENT, "aspirin", 2)))
                .isInstanceOf(Replayed.class).hasMessage(original.toString());
    }

    @Test
    void shouldThrowTheReuseRejectionWhenTheKeyCameBeforeWithAnotherRequest() {
        givenRemembering(new Outcome.Reused());

        assertThatThrownBy(() -> requests.remember(KEY, new PlaceOrder(UUID.randomUUID(), PATIENT, "aspirin", 2)))
                .isInstanceOf(Reused.class);
    }

    @Test
    void shouldGiveTheSameFingerprintWhenOnlyTheIdTheServiceChoseDiffers() {
        String first = requests.fingerprint(new PlaceOrder(UUID.randomUUID(), PATIENT, "aspirin", 2));

        assertThat(requests.fingerprint(new PlaceOrder(UUID.randomUUID(), PATIENT, "aspirin", 2))).isEqualTo(first);
        assertThat(requests.fingerprint(new PlaceOrder(UUID.randomUUID(), PATIENT, "aspirin", 3))).isNotEqualTo(first);
    }
}
