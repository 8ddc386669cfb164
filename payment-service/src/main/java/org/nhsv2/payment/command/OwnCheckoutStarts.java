package org.nhsv2.payment.command;

import org.nhsv2.payment.checkouts.OpenCheckouts;
import org.nhsv2.platform.vault.PersonalDataVault;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * The checkouts a patient started themselves, counted exactly however many requests come at once. The read side
 * learns of a checkout only after its transaction commits, so two requests sent together would each count the other's
 * checkout as not there. Here each request takes the patient's lock (the one their data key is sealed under, held until
 * commit), and counts, besides what the read side has, the checkouts started and committed since that it may not have
 * yet; a checkout started is written in the same transaction as its first event.
 */
@Component
class OwnCheckoutStarts {

    private final JdbcTemplate jdbc;
    private final PersonalDataVault vault;
    private final OpenCheckouts openCheckouts;
    private final Clock clock;

    OwnCheckoutStarts(JdbcTemplate jdbc, PersonalDataVault vault, OpenCheckouts openCheckouts, Clock clock) {
        this.jdbc = jdbc;
        this.vault = vault;
        this.openCheckouts = openCheckouts;
        this.clock = clock;
    }

    /** How many of the patient's own checkouts wait to be paid; the patient's lock is held from here to the commit. */
    long waiting(UUID patientId, Instant initiatedSince) {
        vault.lockPatient(patientId);
        List<UUID> startedMeanwhile = jdbc.queryForList(
                "select transaction_id from own_checkout_start where patient_id = ? and started_at >= ?", UUID.class,
                patientId, Timestamp.from(initiatedSince));
        return openCheckouts.of(patientId, initiatedSince, startedMeanwhile);
    }

    /** In the checkout's own transaction, under the lock {@link #waiting} took. */
    void started(UUID transactionId, UUID patientId, Instant at) {
        jdbc.update("insert into own_checkout_start (transaction_id, patient_id, started_at) values (?, ?, ?)",
                transactionId, patientId, Timestamp.from(at));
    }

    /** Forgets the starts older than a checkout lives, which no count reads. Safe on any number of instances. */
    @Scheduled(fixedDelayString = "${nhsv2.checkouts.purge-interval:10m}",
            initialDelayString = "${nhsv2.checkouts.purge-interval:10m}")
    int purge() {
        return jdbc.update("delete from own_checkout_start where started_at < ?",
                Timestamp.from(clock.instant().minus(Transaction.CHECKOUT_LIFETIME)));
    }
}
