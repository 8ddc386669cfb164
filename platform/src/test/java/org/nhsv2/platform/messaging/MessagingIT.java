package org.nhsv2.platform.messaging;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.nhsv2.contracts.Contract;
import org.nhsv2.contracts.EmailDelivered;
import org.nhsv2.contracts.EmailRequested;
import org.nhsv2.contracts.EmailTemplate;
import org.nhsv2.contracts.PatientPersonalDataErased;
import org.springframework.amqp.core.AmqpAdmin;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageDeliveryMode;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.rabbit.annotation.RabbitListener;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.autoconfigure.amqp.RabbitAutoConfiguration;
import org.springframework.boot.autoconfigure.amqp.RabbitRetryTemplateCustomizer;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.retry.RetryCallback;
import org.springframework.retry.RetryContext;
import org.springframework.retry.RetryListener;
import org.springframework.stereotype.Component;

import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The platform's messaging against the real RabbitMQ (vhost {@code nhsv2_test_platform}, which
 * script/test recreates): confirmed publishing, typed messages, and what happens to messages a
 * consumer cannot read or cannot handle.
 */
@SpringBootTest(classes = MessagingIT.Wiring.class, properties = {
        "spring.application.name=messaging-test",
        "spring.rabbitmq.virtual-host=nhsv2_test_platform",
        "spring.rabbitmq.password=${NHSV2_RABBITMQ_PASSWORD:fake-local-rabbitmq-password}",
        "spring.rabbitmq.listener.simple.retry.initial-interval=50ms",
        "spring.rabbitmq.listener.simple.retry.max-interval=100ms"})
class MessagingIT {

    @SpringBootConfiguration
    @ImportAutoConfiguration({RabbitAutoConfiguration.class, MessagingAutoConfiguration.class})
    @Import(ErasureConsumer.class)
    static class Wiring {

        /** The service's clock, which stamps what is published: here it reads {@link MessagingIT#NOW}. */
        @Bean
        Clock clock() {
            return new Clock() {
                @Override
                public Instant instant() {
                    return NOW.get();
                }

                @Override
                public ZoneId getZone() {
                    return ZoneOffset.UTC;
                }

                @Override
                public Clock withZone(ZoneId zone) {
                    throw new UnsupportedOperationException("UTC only");
                }
            };
        }

        /** Counts every failed delivery attempt a listener's retry sees, retried or not. */
        @Bean
        RabbitRetryTemplateCustomizer countFailedAttempts() {
            return (target, template) -> template.registerListener(new RetryListener() {
                @Override
                public <T, E extends Throwable> void onError(RetryContext context, RetryCallback<T, E> callback,
                                                             Throwable failure) {
                    FAILED_ATTEMPTS.incrementAndGet();
                }
            });
        }
    }

    static final AtomicInteger FAILED_ATTEMPTS = new AtomicInteger();
    /** A time with nanoseconds, which the header does not keep. */
    static final Instant PUBLISHED = Instant.parse("2026-11-27T18:21:07.123456789Z");
    /** {@link #PUBLISHED} in microseconds since the epoch. */
    static final long PUBLISHED_MICROS = 1_795_803_667_123_456L;
    static final AtomicReference<Instant> NOW = new AtomicReference<>(PUBLISHED);

    /** Stands in for a service's consumer: counts attempts, fails for the patients it is told to. */
    @Component
    static class ErasureConsumer {

        final Map<UUID, AtomicInteger> attempts = new ConcurrentHashMap<>();
        final Set<UUID> failFor = ConcurrentHashMap.newKeySet();
        /** Patients whose erasure meets the database away, and for how many more attempts. */
        final Map<UUID, AtomicInteger> databaseAwayFor = new ConcurrentHashMap<>();

        @RabbitListener(queues = MessagingTopology.PAYMENT_PATIENT_ERASURES)
        void on(PatientPersonalDataErased erased) {
            attempts.computeIfAbsent(erased.patientId(), id -> new AtomicInteger()).incrementAndGet();
            if (failFor.contains(erased.patientId())) {
                throw new IllegalStateException("cannot erase now");
            }
            AtomicInteger away = databaseAwayFor.get(erased.patientId());
            if (away != null && away.getAndDecrement() > 0) {
                // As a service's consumer meets it: Spring's translation of HikariCP's timeout, or the driver's
                // own error for a connection that broke, wrapped by whatever called it
                throw away.get() % 2 == 0
                        ? new CannotGetJdbcConnectionException("Failed to obtain JDBC Connection",
                                new SQLTransientConnectionException("Connection is not available, request timed out"))
                        : new IllegalStateException("handler failed",
                                new SQLException("An I/O error occurred while sending to the backend", "08006"));
            }
        }
    }

    @Autowired
    private IntegrationMessages messages;
    @Autowired
    private RabbitTemplate rabbit;
    @Autowired
    private AmqpAdmin admin;
    @Autowired
    private ErasureConsumer consumer;

    @BeforeEach
    void emptyTheQueuesThisTestReads() {
        admin.purgeQueue(MessagingTopology.NOTIFICATION_EMAIL_REQUESTS, false);
        admin.purgeQueue(MessagingTopology.NOTIFICATION_EMAIL_REQUESTS_LATER, false);
        admin.purgeQueue(MessagingTopology.deadLetters(MessagingTopology.PAYMENT_PATIENT_ERASURES), false);
    }

    @Test
    void shouldPublishATypedVersionedMessageWithAStableIdAndItsSource() {
        EmailRequested request = new EmailRequested(UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID(),
                "pat@example.test", EmailTemplate.APPOINTMENT_CONFIRMATION, "en-GB", Map.of("patientName", "Pat"), List.of());

        messages.publish(request);

        Message received = rabbit.receive(MessagingTopology.NOTIFICATION_EMAIL_REQUESTS, 5_000);
        assertThat(received).isNotNull();
        MessageProperties properties = received.getMessageProperties();
        assertThat(properties.getType()).isEqualTo("EmailRequested");
        assertThat(properties.<Integer>getHeader(Contract.VERSION_HEADER)).isEqualTo(1);
        assertThat(properties.getMessageId()).isEqualTo(request.requestId().toString());
        assertThat(properties.getAppId()).isEqualTo("messaging-test");
        assertThat(properties.getContentType()).isEqualTo("application/json");
        assertThat(rabbit.getMessageConverter().fromMessage(received)).isEqualTo(request);
    }

    @Test
    void shouldForwardAMessageAsItWasToWaitAndComeBack() {
        EmailRequested request = new EmailRequested(UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID(),
                "pat@example.test", EmailTemplate.PAYMENT_RECEIPT, "en-GB", Map.of(), List.of());
        messages.publish(request);
        Message received = rabbit.receive(MessagingTopology.NOTIFICATION_EMAIL_REQUESTS, 5_000);
        received.getMessageProperties().setExpiration("200");

        messages.forward(received, MessagingTopology.NOTIFICATION_EMAIL_REQUESTS_LATER);

        Message back = rabbit.receive(MessagingTopology.NOTIFICATION_EMAIL_REQUESTS, 10_000);
        assertThat(back).isNotNull();
        assertThat(back.getMessageProperties().getMessageId()).isEqualTo(request.requestId().toString());
        assertThat(back.getMessageProperties().getAppId()).isEqualTo("messaging-test");
        assertThat(back.getMessageProperties().getReceivedDeliveryMode()).as("still persistent after its wait")
                .isEqualTo(MessageDeliveryMode.PERSISTENT);
        assertThat(rabbit.getMessageConverter().fromMessage(back)).isEqualTo(request);
    }

    @Test
    void shouldForwardAsPersistentWhenTheMessageWasReceived() {
        EmailRequested request = new EmailRequested(UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID(),
                "pat@example.test", EmailTemplate.PAYMENT_RECEIPT, "en-GB", Map.of(), List.of());
        messages.publish(request);
        Message received = rabbit.receive(MessagingTopology.NOTIFICATION_EMAIL_REQUESTS, 5_000);
        // What makes it easy to get wrong: spring-rabbit keeps a received message's mode apart, and sends none for it.
        assertThat(received.getMessageProperties().getDeliveryMode()).isNull();
        assertThat(received.getMessageProperties().getReceivedDeliveryMode()).isEqualTo(MessageDeliveryMode.PERSISTENT);

        messages.forward(received, MessagingTopology.NOTIFICATION_EMAIL_REQUESTS_LATER);

        Message waiting = rabbit.receive(MessagingTopology.NOTIFICATION_EMAIL_REQUESTS_LATER, 5_000);
        assertThat(waiting).isNotNull();
        assertThat(waiting.getMessageProperties().getMessageId()).isEqualTo(request.requestId().toString());
        assertThat(waiting.getMessageProperties().getReceivedDeliveryMode()).as("kept by the broker across a restart")
                .isEqualTo(MessageDeliveryMode.PERSISTENT);
    }

    @Test
    void shouldStampThePublishingTimeInMicrosecondsByTheServicesClockWhenPublishing() {
        EmailRequested request = new EmailRequested(UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID(),
                "pat@example.test", EmailTemplate.APPOINTMENT_CONFIRMATION, "en-GB", Map.of(), List.of());

        messages.publish(request);

        Message received = rabbit.receive(MessagingTopology.NOTIFICATION_EMAIL_REQUESTS, 5_000);
        assertThat(received).isNotNull();
        assertThat(received.getMessageProperties().<Object>getHeader(IntegrationMessages.PUBLISHED_AT))
                .isEqualTo(PUBLISHED_MICROS);
        assertThat(IntegrationMessages.publishedAt(PUBLISHED_MICROS)).isEqualTo(Instant.parse("2026-11-27T18:21:07.123456Z"));
    }

    @Test
    void shouldKeepThePublishingTimeWhenForwarding() {
        EmailRequested request = new EmailRequested(UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID(),
                "pat@example.test", EmailTemplate.PAYMENT_RECEIPT, "en-GB", Map.of(), List.of());
        messages.publish(request);
        Message received = rabbit.receive(MessagingTopology.NOTIFICATION_EMAIL_REQUESTS, 5_000);
        assertThat(received).isNotNull();
        NOW.set(PUBLISHED.plus(Duration.ofHours(1)));
        try {
            messages.forward(received, MessagingTopology.NOTIFICATION_EMAIL_REQUESTS_LATER);
        } finally {
            NOW.set(PUBLISHED);
        }

        Message waiting = rabbit.receive(MessagingTopology.NOTIFICATION_EMAIL_REQUESTS_LATER, 5_000);
        assertThat(waiting).isNotNull();
        assertThat(waiting.getMessageProperties().getMessageId()).isEqualTo(request.requestId().toString());
        assertThat(waiting.getMessageProperties().<Object>getHeader(IntegrationMessages.PUBLISHED_AT))
                .as("the time it was first published, not forwarded").isEqualTo(PUBLISHED_MICROS);
    }

    @Test
    void shouldRefuseToCountAMessageAsSentWhenNoQueueTakesIt() {
        EmailDelivered toNobody = new EmailDelivered(UUID.randomUUID(), UUID.randomUUID(), "m-1", Instant.now());

        assertThatThrownBy(() -> messages.answer(toNobody, "a-service-with-no-queue"))
                .isInstanceOf(MessageNotSentException.class).hasMessageContaining("no queue takes");
    }

    @Test
    void shouldFailAtOnceWhenTheBrokerIsUnreachable() {
        CachingConnectionFactory nowhere = new CachingConnectionFactory("127.0.0.1", 1);
        nowhere.setPublisherConfirmType(CachingConnectionFactory.ConfirmType.CORRELATED);
        RabbitTemplate template = new RabbitTemplate(nowhere);
        template.setMessageConverter(new ContractMessageConverter());
        IntegrationMessages unreachable = new IntegrationMessages(template, "messaging-test", Duration.ofSeconds(2),
                Clock.systemUTC());
        try {
            assertThatThrownBy(() -> unreachable.publish(new PatientPersonalDataErased(UUID.randomUUID(), Instant.now())))
                    .isInstanceOf(MessageNotSentException.class);
        } finally {
            nowhere.destroy();
        }
    }

    @Test
    void shouldDeadLetterAMessageOfUnknownTypeWithoutRetrying() {
        MessageProperties properties = new MessageProperties();
        properties.setType("SomethingElse");
        properties.setContentType("application/json");
        int failedBefore = FAILED_ATTEMPTS.get(); // before sending: the consumer may fail at once
        rabbit.send(MessagingTopology.EXCHANGE, Contract.PATIENT_PERSONAL_DATA_ERASED.routingKey(),
                new Message("{\"patientId\":\"nope\"}".getBytes(StandardCharsets.UTF_8), properties));

        Message deadLetter = rabbit.receive(MessagingTopology.deadLetters(MessagingTopology.PAYMENT_PATIENT_ERASURES), 10_000);
        assertThat(deadLetter).isNotNull();
        assertThat(deadLetter.getMessageProperties().getType()).isEqualTo("SomethingElse");
        assertThat(FAILED_ATTEMPTS.get() - failedBefore).as("attempts").isEqualTo(1);
    }

    @Test
    void shouldDeadLetterABrokenMessageOfAKnownTypeWithoutRetrying() {
        MessageProperties properties = new MessageProperties();
        properties.setType(Contract.PATIENT_PERSONAL_DATA_ERASED.type());
        properties.setHeader(Contract.VERSION_HEADER, 1);
        int failedBefore = FAILED_ATTEMPTS.get(); // before sending: the consumer may fail at once
        rabbit.send(MessagingTopology.EXCHANGE, Contract.PATIENT_PERSONAL_DATA_ERASED.routingKey(),
                new Message("{\"patientId\":".getBytes(StandardCharsets.UTF_8), properties));

        assertThat(rabbit.receive(MessagingTopology.deadLetters(MessagingTopology.PAYMENT_PATIENT_ERASURES), 10_000)).isNotNull();
        assertThat(FAILED_ATTEMPTS.get() - failedBefore).as("attempts").isEqualTo(1);
    }

    @Test
    void shouldRetryAFailingMessageABoundedNumberOfTimesThenDeadLetterIt() {
        UUID patient = UUID.randomUUID();
        consumer.failFor.add(patient);
        int failedBefore = FAILED_ATTEMPTS.get();

        messages.publish(new PatientPersonalDataErased(patient, Instant.now()));

        Message deadLetter = rabbit.receive(MessagingTopology.deadLetters(MessagingTopology.PAYMENT_PATIENT_ERASURES), 15_000);
        assertThat(deadLetter).isNotNull();
        assertThat(consumer.attempts.get(patient)).hasValue(5);
        assertThat(FAILED_ATTEMPTS.get() - failedBefore).as("attempts").isEqualTo(5);
    }

    /**
     * An outage of the consumer's database longer than the usual tries: the message waits and is handled once the
     * database is back, where it went to the dead letters after five tries, and its sender never asked again.
     */
    @Test
    void shouldKeepTryingAMessageWhileItsConsumersDatabaseIsAwayAndNeverDeadLetterIt() {
        UUID patient = UUID.randomUUID();
        consumer.databaseAwayFor.put(patient, new AtomicInteger(12));

        messages.publish(new PatientPersonalDataErased(patient, Instant.now()));

        await().atMost(Duration.ofSeconds(30)).until(() -> consumer.databaseAwayFor.get(patient).get() < 0);
        assertThat(consumer.attempts.get(patient)).as("twelve failed, the thirteenth handled").hasValue(13);
        assertThat(rabbit.receive(MessagingTopology.deadLetters(MessagingTopology.PAYMENT_PATIENT_ERASURES), 1_000))
                .isNull();
    }

    @Test
    void shouldHandAWorkingMessageToItsConsumerOnce() {
        UUID patient = UUID.randomUUID();

        messages.publish(new PatientPersonalDataErased(patient, Instant.now()));

        await().atMost(Duration.ofSeconds(10)).until(() -> consumer.attempts.containsKey(patient));
        assertThat(consumer.attempts.get(patient)).hasValue(1);
    }
}
