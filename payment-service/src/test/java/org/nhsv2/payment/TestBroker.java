package org.nhsv2.payment;

import org.nhsv2.contracts.Contract;
import org.nhsv2.contracts.EmailRequested;
import org.nhsv2.platform.messaging.ContractMessageConverter;
import org.nhsv2.platform.messaging.MessagingTopology;
import org.springframework.amqp.core.Binding;
import org.springframework.amqp.core.BindingBuilder;
import org.springframework.amqp.core.Exchange;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.core.QueueBuilder;
import org.springframework.amqp.core.TopicExchange;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitAdmin;
import org.springframework.amqp.rabbit.core.RabbitTemplate;

import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The test's own line to the broker, straight to it (not through {@link BrokerLink}), in the payment
 * tests' vhost: what the service published, read from a queue of the test's bound to
 * {@code email.requested} (nothing consumes email requests in these tests), and notification-service's
 * and appointment-service's messages sent to the service as they would send them.
 */
public final class TestBroker {

    /** The payment tests' own vhost, which {@code script/test} empties before a run. */
    public static final String VHOST = System.getenv().getOrDefault("NHSV2_PAYMENT_TEST_VHOST", "nhsv2_test_payment");
    private static final String EMAIL_REQUESTS = "test.payment.email-requests";
    private static TestBroker instance;

    private final RabbitTemplate rabbit;
    private final RabbitAdmin admin;
    private final ContractMessageConverter converter = new ContractMessageConverter();
    private final List<Published> published = new CopyOnWriteArrayList<>();

    /** An email request as it reached the broker, with the AMQP properties it was published with. */
    public record Published(String messageId, String appId, String type, EmailRequested email) {
    }

    private TestBroker() {
        CachingConnectionFactory connections = new CachingConnectionFactory(
                System.getenv().getOrDefault("NHSV2_RABBITMQ_HOST", "127.0.0.1"),
                Integer.parseInt(System.getenv().getOrDefault("NHSV2_RABBITMQ_PORT", "5672")));
        connections.setVirtualHost(VHOST);
        connections.setUsername("nhsv2");
        connections.setPassword(System.getenv().getOrDefault("NHSV2_RABBITMQ_PASSWORD", "fake-local-rabbitmq-password"));
        rabbit = new RabbitTemplate(connections);
        rabbit.setMessageConverter(converter);
        admin = new RabbitAdmin(connections);
        MessagingTopology.declarables().getDeclarables().forEach(declarable -> {
            if (declarable instanceof Exchange exchange) {
                admin.declareExchange(exchange);
            } else if (declarable instanceof Queue queue) {
                admin.declareQueue(queue);
            } else if (declarable instanceof Binding binding) {
                admin.declareBinding(binding);
            }
        });
        Queue emails = QueueBuilder.nonDurable(EMAIL_REQUESTS).build();
        admin.declareQueue(emails);
        admin.declareBinding(BindingBuilder.bind(emails).to(new TopicExchange(MessagingTopology.EXCHANGE))
                .with(Contract.EMAIL_REQUESTED.routingKey()));
        // What an earlier run left there.
        admin.purgeQueue(EMAIL_REQUESTS, false);
    }

    /** Listening from the first call on: call it before the service publishes what a test looks for. */
    public static synchronized TestBroker get() {
        if (instance == null) {
            instance = new TestBroker();
        }
        return instance;
    }

    /** Every email request about {@code correlationId} published since the first {@link #get()}, oldest first. */
    public List<Published> emailsAbout(UUID correlationId) {
        drain();
        return published.stream().filter(message -> message.email().correlationId().equals(correlationId)).toList();
    }

    /** An answer to one of this service's email requests, routed as notification-service routes it. */
    public void answer(Object answer) {
        send(MessagingTopology.answerKey(Contract.of(answer), MessagingTopology.PAYMENT_SERVICE), answer);
    }

    /** A contract under its own routing key (an erasure, as the appointment service publishes it). */
    public void publish(Object contract) {
        send(Contract.of(contract).routingKey(), contract);
    }

    private void send(String routingKey, Object message) {
        rabbit.convertAndSend(MessagingTopology.EXCHANGE, routingKey, message);
    }

    public int messagesIn(String queue) {
        Properties properties = admin.getQueueProperties(queue);
        return properties == null ? 0 : ((Number) properties.get(RabbitAdmin.QUEUE_MESSAGE_COUNT)).intValue();
    }

    /** Takes every message out of {@code queue}, returning their message ids. */
    public List<String> takeMessageIds(String queue) {
        List<String> ids = new ArrayList<>();
        for (Message message = rabbit.receive(queue); message != null; message = rabbit.receive(queue)) {
            ids.add(message.getMessageProperties().getMessageId());
        }
        return ids;
    }

    private synchronized void drain() {
        for (Message message = rabbit.receive(EMAIL_REQUESTS); message != null; message = rabbit.receive(EMAIL_REQUESTS)) {
            var properties = message.getMessageProperties();
            published.add(new Published(properties.getMessageId(), properties.getAppId(), properties.getType(),
                    (EmailRequested) converter.fromMessage(message)));
        }
    }
}
