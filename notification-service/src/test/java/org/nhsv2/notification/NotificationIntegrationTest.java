package org.nhsv2.notification;

import org.nhsv2.contracts.Contract;
import org.nhsv2.contracts.EmailRequested;
import org.nhsv2.platform.messaging.IntegrationMessages;
import org.nhsv2.platform.messaging.MessagingTopology;
import org.nhsv2.platform.testing.Api;
import org.nhsv2.platform.testing.MutableClock;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.amqp.support.converter.MessageConverter;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

import static org.awaitility.Awaitility.await;

/**
 * Base of the {@code *IT} classes: the whole service on a random port (its actuator on another), in the
 * local profile, against the real PostgreSQL, RabbitMQ (its own vhost) and Keycloak that
 * {@code script/test} provides. Without a SendGrid key, so emails go to the mailbox; a subclass may
 * configure one. The platform's {@code ServiceIntegrationTest} waits for an Axon projection, which this
 * service does not have, hence a base of its own with the same settings. Listener retries are as many as
 * in production (five attempts), with shorter waits.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "management.server.port=0")
@ActiveProfiles("local")
@AutoConfigureObservability
@Import(MutableClock.InContext.class)
@TestPropertySource(properties = {
        "spring.rabbitmq.listener.simple.retry.initial-interval=100ms",
        "spring.rabbitmq.listener.simple.retry.multiplier=2",
        "spring.rabbitmq.listener.simple.retry.max-interval=400ms",
        "nhsv2.email.later.delay=300ms",
        "nhsv2.email.later.max-waits=2",
        // Not in the middle of a test that counts the dead letters: ErasureIT sweeps when it means to
        "nhsv2.email.erasure.dead-letter-sweep=1h"})
public abstract class NotificationIntegrationTest {

    public static final String APPOINTMENT_SERVICE = MessagingTopology.APPOINTMENT_SERVICE;
    protected static final Duration DEADLINE = Duration.ofSeconds(30);
    protected static final String DEAD_LETTERS = MessagingTopology.deadLetters(MessagingTopology.NOTIFICATION_EMAIL_REQUESTS);

    /** Every answer read from the appointment service's queue so far, by request id: tests share one queue. */
    private static final Map<UUID, List<Object>> ANSWERS = new ConcurrentHashMap<>();
    private static final Map<String, List<Message>> DEAD = new ConcurrentHashMap<>();

    @LocalServerPort
    protected int port;
    @Autowired
    protected JdbcClient jdbc;
    @Autowired
    protected RabbitTemplate rabbit;
    @Autowired
    protected MessageConverter contracts;
    @Autowired
    protected ApplicationContext context;
    @Autowired
    protected MutableClock clock;

    @DynamicPropertySource
    static void servers(DynamicPropertyRegistry registry) {
        registry.add("spring.rabbitmq.virtual-host", () -> System.getenv().getOrDefault("NHSV2_NOTIFICATION_TEST_VHOST",
                "nhsv2_test_notification"));
        registry.add("spring.datasource.url", () -> System.getenv().getOrDefault("NHSV2_NOTIFICATION_TEST_DB_URL",
                "jdbc:postgresql://127.0.0.1:5432/nhsv2_notification_test"));
    }

    protected Api as(String username) {
        return Api.as(port, username);
    }

    /** Publishes the request as the appointment service does: its contract JSON, its appId, its publishing time. */
    protected void publish(EmailRequested request) {
        publish(request, APPOINTMENT_SERVICE);
    }

    protected void publish(EmailRequested request, String appId) {
        rabbit.convertAndSend(MessagingTopology.EXCHANGE, Contract.EMAIL_REQUESTED.routingKey(), request, message -> {
            message.getMessageProperties().setAppId(appId);
            message.getMessageProperties().setHeader(IntegrationMessages.PUBLISHED_AT,
                    IntegrationMessages.publishedAt(clock.instant()));
            return message;
        });
    }

    /** Publishes a message exactly as given, for what no well-behaved producer sends. */
    protected void publishRaw(String routingKey, String type, String body, String messageId) {
        MessageProperties properties = new MessageProperties();
        properties.setContentType(MessageProperties.CONTENT_TYPE_JSON);
        properties.setType(type);
        properties.setHeader(Contract.VERSION_HEADER, 1);
        properties.setMessageId(messageId);
        properties.setAppId(APPOINTMENT_SERVICE);
        rabbit.send(MessagingTopology.EXCHANGE, routingKey, new Message(body.getBytes(StandardCharsets.UTF_8), properties));
    }

    /** The answers the appointment service has received for the request so far. */
    protected List<Object> answersTo(UUID requestId) {
        Message message;
        while ((message = rabbit.receive(MessagingTopology.APPOINTMENT_EMAIL_OUTCOMES)) != null) {
            Object answer = contracts.fromMessage(message);
            ANSWERS.computeIfAbsent(requestIdOf(answer), id -> new ArrayList<>()).add(answer);
        }
        return List.copyOf(ANSWERS.getOrDefault(requestId, List.of()));
    }

    protected Object awaitAnswer(UUID requestId) {
        return awaitAnswers(requestId, 1).get(0);
    }

    protected List<Object> awaitAnswers(UUID requestId, int count) {
        return await().atMost(DEADLINE).until(() -> answersTo(requestId), answers -> answers.size() >= count);
    }

    /** Waits for a message in a dead-letter queue. */
    protected Message awaitDeadLetter(String queue, Predicate<Message> which) {
        return await().atMost(DEADLINE).until(() -> deadLetters(queue).stream().filter(which).findFirst().orElse(null),
                message -> message != null);
    }

    /** The messages that reached the dead-letter queue so far (this run and any left from earlier ones). */
    protected List<Message> deadLetters(String queue) {
        List<Message> seen = DEAD.computeIfAbsent(queue, name -> new CopyOnWriteArrayList<>());
        Message message;
        while ((message = rabbit.receive(queue)) != null) {
            seen.add(message);
        }
        return List.copyOf(seen);
    }

    protected static Predicate<Message> withMessageId(String messageId) {
        return message -> messageId.equals(message.getMessageProperties().getMessageId());
    }

    protected int mailboxEmailsFor(UUID requestId) {
        return jdbc.sql("SELECT count(*) FROM mailbox WHERE request_id = ?").param(requestId).query(Integer.class).single();
    }

    private static UUID requestIdOf(Object answer) {
        if (answer instanceof org.nhsv2.contracts.EmailDelivered delivered) {
            return delivered.requestId();
        }
        if (answer instanceof org.nhsv2.contracts.EmailSuperseded superseded) {
            return superseded.requestId();
        }
        return ((org.nhsv2.contracts.EmailFailed) answer).requestId();
    }
}
