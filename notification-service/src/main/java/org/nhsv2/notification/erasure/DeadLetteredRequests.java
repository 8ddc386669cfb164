package org.nhsv2.notification.erasure;

import com.rabbitmq.client.GetResponse;
import org.nhsv2.platform.messaging.MessagingTopology;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The email requests waiting in the dead letters for an operator ({@code notification.email-requests.dead-letters}):
 * each holds its patient's address, name and the email's content for as long as it waits there, which an erasure must
 * not outlast. Those that name the patient (their id anywhere in the body, so an unreadable one too) are deleted; the
 * others go back where they were.
 */
@Component
class DeadLetteredRequests {

    static final String QUEUE = MessagingTopology.deadLetters(MessagingTopology.NOTIFICATION_EMAIL_REQUESTS);
    /** The advisory lock that lets one erasure at a time go through the queue: "NHND". */
    private static final int LOCK_NAMESPACE = 0x4e484e44;

    private final RabbitTemplate rabbit;
    private final JdbcClient jdbc;

    DeadLetteredRequests(RabbitTemplate rabbit, JdbcClient jdbc) {
        this.rabbit = rabbit;
        this.jdbc = jdbc;
    }

    /**
     * Deletes the dead-lettered requests that name the patient and returns how many. Each message is taken in turn and
     * held unacknowledged until the queue is empty, so another erasure going through it at the same time would not see
     * the messages held: one does at a time, under a lock held until the caller's transaction ends (which it must run
     * in, holding no patient's lock: this takes a round trip per message waiting). Every message not deleted is put
     * back, also when this fails half-way (or, if the channel broke, by the broker when it closes it).
     */
    int eraseFor(UUID patientId) {
        jdbc.sql("SELECT 1 FROM pg_advisory_xact_lock(?, 0)").param(LOCK_NAMESPACE).query(Integer.class).single();
        String id = patientId.toString();
        Integer deleted = rabbit.execute(channel -> {
            List<Long> held = new ArrayList<>();
            int erased = 0;
            try {
                GetResponse message;
                while ((message = channel.basicGet(QUEUE, false)) != null) {
                    long tag = message.getEnvelope().getDeliveryTag();
                    held.add(tag);
                    // Read leniently: an unreadable body keeps the id's ASCII characters as they are
                    if (new String(message.getBody(), StandardCharsets.UTF_8).contains(id)) {
                        channel.basicAck(tag, false);
                        held.remove(held.size() - 1);
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
        return deleted == null ? 0 : deleted;
    }
}
