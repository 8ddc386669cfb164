package org.nhsv2.notification.erasure;

import com.rabbitmq.client.GetResponse;
import org.nhsv2.notification.email.ErasureSettings;
import org.nhsv2.platform.messaging.IntegrationMessages;
import org.nhsv2.platform.messaging.MessagingTopology;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The email requests waiting in the dead letters for an operator ({@code notification.email-requests.dead-letters}):
 * each holds its patient's address, name and the email's content for as long as it waits there, which an erasure must
 * not outlast. A sweep deletes every one written before an erasure of a patient it names (by the same rule as
 * sending: published before the erasure, less the clock skew; any erasure when it names no publishing time), and puts
 * the others back where they were. A patient is named by their id anywhere in the body, so an unreadable request is
 * caught too. Each erasure sweeps once it is recorded, and a sweep runs every
 * {@code nhsv2.email.erasure.dead-letter-sweep} (10 minutes) for what reaches the dead letters after that: a request
 * whose last try was under way when the erasure came, one no one can answer, and a sweep that failed.
 */
@Component
class DeadLetteredRequests {

    static final String QUEUE = MessagingTopology.deadLetters(MessagingTopology.NOTIFICATION_EMAIL_REQUESTS);
    /** The advisory lock that lets one sweep at a time go through the queue: "NHND". */
    private static final int LOCK_NAMESPACE = 0x4e484e44;
    private static final Pattern UUID_TEXT =
            Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
    private static final Logger log = LoggerFactory.getLogger(DeadLetteredRequests.class);

    private final RabbitTemplate rabbit;
    private final JdbcClient jdbc;
    private final TransactionTemplate transactions;
    private final ErasureSettings settings;

    DeadLetteredRequests(RabbitTemplate rabbit, JdbcClient jdbc, TransactionTemplate transactions,
                         ErasureSettings settings) {
        this.rabbit = rabbit;
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.settings = settings;
    }

    @Scheduled(fixedDelayString = "${nhsv2.email.erasure.dead-letter-sweep:10m}",
            initialDelayString = "${nhsv2.email.erasure.dead-letter-sweep:10m}")
    void sweepOnSchedule() {
        try {
            sweep();
        } catch (RuntimeException failed) {
            log.warn("The dead letters could not be swept for erased patients; tried again at the next sweep", failed);
        }
    }

    /**
     * Deletes the dead-lettered requests written before an erasure of a patient they name, adds each to its
     * erasure's {@code dead_letters_deleted}, and returns how many, in a transaction of its own (holding no patient's
     * lock: it takes a round trip per message waiting). Each message is taken in turn and held unacknowledged until
     * the queue is empty, so another sweep at the same time would not see the messages held: one runs at a time,
     * under a lock held until the transaction ends. Every message not deleted is put back, also when this fails
     * half-way (or, if the channel broke, by the broker when it closes it). The count is a lower bound: the broker's
     * deletes are not part of the transaction, so a commit that fails loses theirs.
     */
    int sweep() {
        Integer deleted = transactions.execute(status -> {
            jdbc.sql("SELECT 1 FROM pg_advisory_xact_lock(?, 0)").param(LOCK_NAMESPACE).query(Integer.class).single();
            return rabbit.execute(channel -> {
                List<Long> held = new ArrayList<>();
                int erased = 0;
                try {
                    GetResponse message;
                    while ((message = channel.basicGet(QUEUE, false)) != null) {
                        long tag = message.getEnvelope().getDeliveryTag();
                        held.add(tag);
                        Optional<Erasure> erasure = erasureBefore(message);
                        if (erasure.isPresent()) {
                            channel.basicAck(tag, false);
                            held.remove(held.size() - 1);
                            counted(erasure.get());
                            erased++;
                        }
                    }
                } finally {
                    for (long tag : held) {
                        channel.basicNack(tag, false, true);
                    }
                }
                return erased;
            });
        });
        if (deleted != null && deleted > 0) {
            log.info("{} dead-lettered email request(s) of erased patients deleted", deleted);
        }
        return deleted == null ? 0 : deleted;
    }

    /** The earliest erasure, of a patient the message names, that the message was written before. */
    private Optional<Erasure> erasureBefore(GetResponse message) {
        // Read leniently: an unreadable body keeps the ids' ASCII characters as they are
        Set<String> named = new LinkedHashSet<>();
        Matcher ids = UUID_TEXT.matcher(new String(message.getBody(), StandardCharsets.UTF_8));
        while (ids.find()) {
            named.add(ids.group().toLowerCase());
        }
        if (named.isEmpty()) {
            return Optional.empty();
        }
        Map<String, Object> headers = message.getProps().getHeaders();
        Object published = headers == null ? null : headers.get(IntegrationMessages.PUBLISHED_AT);
        // Without a publishing time, any erasure counts: every one happened after the epoch. So does a time before the
        // epoch, which no publisher writes: taken as none, never handed to PostgreSQL as a time outside its range.
        Instant since = published instanceof Number micros
                ? IntegrationMessages.publishedAt(micros.longValue()).minus(settings.clockSkew())
                : Instant.EPOCH;
        if (since.isBefore(Instant.EPOCH)) {
            since = Instant.EPOCH;
        }
        return jdbc.sql("""
                        SELECT patient_id, erased_at FROM patient_erasure
                        WHERE patient_id = ANY (CAST(? AS uuid[])) AND erased_at >= ?
                        ORDER BY erased_at LIMIT 1""")
                .params("{" + String.join(",", named) + "}", since.atOffset(ZoneOffset.UTC))
                .query((row, number) -> new Erasure(row.getObject("patient_id", UUID.class),
                        row.getObject("erased_at", OffsetDateTime.class)))
                .optional();
    }

    private void counted(Erasure erasure) {
        jdbc.sql("""
                        UPDATE patient_erasure SET dead_letters_deleted = dead_letters_deleted + 1
                        WHERE patient_id = ? AND erased_at = ?""")
                .params(erasure.patientId(), erasure.erasedAt())
                .update();
    }

    private record Erasure(UUID patientId, OffsetDateTime erasedAt) {
    }
}
