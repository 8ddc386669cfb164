package org.nhsv2.platform.messaging;

import org.nhsv2.contracts.Contract;
import org.springframework.amqp.core.Binding;
import org.springframework.amqp.core.BindingBuilder;
import org.springframework.amqp.core.Declarable;
import org.springframework.amqp.core.Declarables;
import org.springframework.amqp.core.DirectExchange;
import org.springframework.amqp.core.ExchangeBuilder;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.core.QueueBuilder;
import org.springframework.amqp.core.TopicExchange;

import java.util.ArrayList;
import java.util.List;

/**
 * Where integration messages go, declared by every service the same way (declaring what exists is
 * harmless) and exported to {@code infra/rabbitmq/definitions.json}. Each consumer has its own
 * durable queue, and each queue a dead-letter queue that takes what its consumer refused or gave up on.
 */
public final class MessagingTopology {

    /** Every contract is published here, under its {@link Contract#routingKey() routing key}. */
    public static final String EXCHANGE = "nhsv2.integration";
    /** Where a queue's refused messages go, routed by the queue's name. */
    public static final String DEAD_LETTER_EXCHANGE = "nhsv2.dead-letters";

    public static final String NOTIFICATION_EMAIL_REQUESTS = "notification.email-requests";
    /**
     * Email requests the provider could not take even after the listener's retries wait here, each
     * for its own time (the message's expiration), and then return to {@link #NOTIFICATION_EMAIL_REQUESTS}.
     * No one consumes it.
     */
    public static final String NOTIFICATION_EMAIL_REQUESTS_LATER = "notification.email-requests.later";
    public static final String NOTIFICATION_PATIENT_ERASURES = "notification.patient-erasures";
    public static final String APPOINTMENT_EMAIL_OUTCOMES = "appointment.email-outcomes";
    public static final String PAYMENT_EMAIL_OUTCOMES = "payment.email-outcomes";
    public static final String PAYMENT_PATIENT_ERASURES = "payment.patient-erasures";

    /** The services whose email requests are answered: the {@code appId} they publish with. */
    public static final String APPOINTMENT_SERVICE = "appointment-service";
    public static final String PAYMENT_SERVICE = "payment-service";

    private MessagingTopology() {
    }

    /** The dead-letter queue of {@code queue}. */
    public static String deadLetters(String queue) {
        return queue + ".dead-letters";
    }

    /** The routing key an answer to {@code requester}'s email request goes out with. */
    public static String answerKey(Contract answer, String requester) {
        return answer.routingKey() + "." + requester;
    }

    public static Declarables declarables() {
        TopicExchange exchange = ExchangeBuilder.topicExchange(EXCHANGE).durable(true).build();
        DirectExchange deadLetters = ExchangeBuilder.directExchange(DEAD_LETTER_EXCHANGE).durable(true).build();
        List<Declarable> all = new ArrayList<>(List.of(exchange, deadLetters));
        consumer(all, exchange, deadLetters, NOTIFICATION_EMAIL_REQUESTS, Contract.EMAIL_REQUESTED.routingKey());
        all.add(QueueBuilder.durable(NOTIFICATION_EMAIL_REQUESTS_LATER)
                .deadLetterExchange("") // the default exchange: straight back to the queue named below
                .deadLetterRoutingKey(NOTIFICATION_EMAIL_REQUESTS)
                .build());
        consumer(all, exchange, deadLetters, NOTIFICATION_PATIENT_ERASURES,
                Contract.PATIENT_PERSONAL_DATA_ERASED.routingKey());
        consumer(all, exchange, deadLetters, APPOINTMENT_EMAIL_OUTCOMES,
                answerKey(Contract.EMAIL_DELIVERED, APPOINTMENT_SERVICE), answerKey(Contract.EMAIL_FAILED, APPOINTMENT_SERVICE),
                answerKey(Contract.EMAIL_SUPERSEDED, APPOINTMENT_SERVICE));
        // Payment's emails name no revision (each receipt or note is a fact of its own): none is ever superseded
        consumer(all, exchange, deadLetters, PAYMENT_EMAIL_OUTCOMES,
                answerKey(Contract.EMAIL_DELIVERED, PAYMENT_SERVICE), answerKey(Contract.EMAIL_FAILED, PAYMENT_SERVICE));
        consumer(all, exchange, deadLetters, PAYMENT_PATIENT_ERASURES, Contract.PATIENT_PERSONAL_DATA_ERASED.routingKey());
        return new Declarables(all);
    }

    private static void consumer(List<Declarable> all, TopicExchange exchange, DirectExchange deadLetters,
                                 String name, String... routingKeys) {
        Queue queue = QueueBuilder.durable(name)
                .deadLetterExchange(DEAD_LETTER_EXCHANGE)
                .deadLetterRoutingKey(name)
                .build();
        Queue deadLetterQueue = QueueBuilder.durable(deadLetters(name)).build();
        all.add(queue);
        all.add(deadLetterQueue);
        all.add(BindingBuilder.bind(deadLetterQueue).to(deadLetters).with(name));
        for (String routingKey : routingKeys) {
            Binding binding = BindingBuilder.bind(queue).to(exchange).with(routingKey);
            all.add(binding);
        }
    }
}
