package org.nhsv2.notification.erasure;

import org.nhsv2.contracts.PatientPersonalDataErased;
import org.nhsv2.notification.email.ErasureRecords;
import org.nhsv2.notification.mailbox.Mailbox;
import org.nhsv2.platform.messaging.MessagingTopology;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.rabbit.annotation.RabbitListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.UUID;

/**
 * A patient's erasure, as the appointment service announces it: their stored emails go, in one
 * transaction with a {@code patient_erasure} row that records it and why (the ground and reference the message names),
 * and so do the requests naming them that wait in
 * the dead letters ({@link DeadLetteredRequests}), counted in that row. What the service knows about each
 * request (its id, outcome, times, the provider's id) stays: it holds no address, name or content.
 * A redelivered announcement deletes nothing more and records nothing twice. The row keeps when the
 * erasure happened in the service that erased ({@code erasedAt}), not when it was recorded here: a request
 * published before that time was written before the erasure and is not sent, however late it comes.
 */
@Component
class PatientErasures implements ErasureRecords {

    private static final Logger log = LoggerFactory.getLogger(PatientErasures.class);

    private final Mailbox mailbox;
    private final DeadLetteredRequests deadLetters;
    private final JdbcClient jdbc;
    private final TransactionTemplate transactions;
    private final Clock clock;

    PatientErasures(Mailbox mailbox, DeadLetteredRequests deadLetters, JdbcClient jdbc, TransactionTemplate transactions,
                    Clock clock) {
        this.mailbox = mailbox;
        this.deadLetters = deadLetters;
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.clock = clock;
    }

    /**
     * First the patient's stored emails and the record of the erasure, committed together: from then on no request
     * written before it is sent, whatever becomes of the rest. Then a sweep of the dead letters, in a transaction of
     * its own and without the patient's lock (it takes a round trip per message waiting); if that fails (the broker
     * away), the announcement is tried again, and the first part finds its work done. Should every try fail, the
     * next scheduled sweep deletes the patient's requests.
     */
    @RabbitListener(queues = MessagingTopology.NOTIFICATION_PATIENT_ERASURES)
    void on(PatientPersonalDataErased erased) {
        transactions.executeWithoutResult(status -> {
            int deleted = mailbox.eraseFor(erased.patientId());
            int recorded = jdbc.sql("""
                            INSERT INTO patient_erasure (patient_id, erased_at, mailbox_emails_deleted, recorded_at, basis,
                                                         reference)
                            VALUES (?, ?, ?, ?, ?, ?)
                            ON CONFLICT (patient_id, erased_at) DO NOTHING""")
                    .params(erased.patientId(), erased.erasedAt().atOffset(ZoneOffset.UTC), deleted,
                            clock.instant().atOffset(ZoneOffset.UTC), erased.basis(), erased.reference())
                    .update();
            log.info("Erasure of patient {} (asked at {}): {} stored email(s) deleted{}", erased.patientId(),
                    erased.erasedAt(), deleted, recorded == 0 ? ", already recorded" : "");
        });
        deadLetters.sweep();
    }

    @Override
    public boolean erasedSince(UUID patientId, Instant since) {
        mailbox.lockShared(patientId);
        return jdbc.sql("SELECT EXISTS (SELECT 1 FROM patient_erasure WHERE patient_id = ? AND erased_at >= ?)")
                .params(patientId, since.atOffset(ZoneOffset.UTC))
                .query(Boolean.class)
                .single();
    }
}
