package org.nhsv2.payment.command;

import org.junit.jupiter.api.Test;
import org.nhsv2.payment.PaymentIntegrationTest;
import org.springframework.beans.factory.annotation.Autowired;

import java.sql.Timestamp;
import java.time.Duration;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** The starts a patient's checkouts leave are kept only as long as a checkout lives, which is all any count reads. */
class OwnCheckoutStartsIT extends PaymentIntegrationTest {

    @Autowired
    private OwnCheckoutStarts starts;

    @Test
    void shouldForgetOnlyTheStartsOlderThanACheckoutLives() {
        UUID patient = UUID.randomUUID();
        UUID older = UUID.randomUUID();
        UUID within = UUID.randomUUID();
        start(older, patient, Transaction.CHECKOUT_LIFETIME.plus(Duration.ofMinutes(1)));
        start(within, patient, Transaction.CHECKOUT_LIFETIME.minus(Duration.ofMinutes(1)));

        assertThat(starts.purge()).isPositive();

        assertThat(jdbc.queryForList("select transaction_id from own_checkout_start where patient_id = ?", UUID.class,
                patient)).containsExactly(within);
    }

    private void start(UUID transactionId, UUID patientId, Duration ago) {
        jdbc.update("insert into own_checkout_start (transaction_id, patient_id, started_at) values (?, ?, ?)",
                transactionId, patientId, Timestamp.from(clock.instant().minus(ago)));
    }
}
