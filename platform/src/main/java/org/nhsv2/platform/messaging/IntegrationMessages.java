package org.nhsv2.platform.messaging;

import org.nhsv2.contracts.Contract;
import org.springframework.amqp.AmqpException;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageDeliveryMode;
import org.springframework.amqp.core.MessagePropertiesBuilder;
import org.springframework.amqp.core.ReturnedMessage;
import org.springframework.amqp.rabbit.connection.CorrelationData;
import org.springframework.amqp.rabbit.core.RabbitTemplate;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Publishes shared-api contracts and returns only once the broker has confirmed that a queue holds
 * the message (publisher confirms, mandatory routing); otherwise it throws
 * {@link MessageNotSentException}. Nothing is fire-and-forget: a caller that returns normally has
 * sent its message. Each message carries the time it was published ({@link #PUBLISHED_AT}), which a
 * forwarded message keeps.
 */
public class IntegrationMessages {

    /**
     * When the message was published, in microseconds since the epoch, by the publisher's clock: the AMQP
     * {@code timestamp} property holds whole seconds only. A consumer compares it with the time of something
     * that happened elsewhere (an erasure), so by clocks of other machines: allow for their skew.
     */
    public static final String PUBLISHED_AT = "nhsv2-published-at";

    private final RabbitTemplate rabbit;
    private final String source;
    private final Duration confirmTimeout;
    private final Clock clock;

    public IntegrationMessages(RabbitTemplate rabbit, String source, Duration confirmTimeout, Clock clock) {
        this.rabbit = rabbit;
        this.source = source;
        this.confirmTimeout = confirmTimeout;
        this.clock = clock;
    }

    /** The {@link #PUBLISHED_AT} header's value for {@code instant}. */
    public static long publishedAt(Instant instant) {
        return ChronoUnit.MICROS.between(Instant.EPOCH, instant);
    }

    /** The instant a {@link #PUBLISHED_AT} header's value names. */
    public static Instant publishedAt(long epochMicros) {
        return Instant.EPOCH.plus(epochMicros, ChronoUnit.MICROS);
    }

    /** Publishes under the contract's own routing key. */
    public void publish(Object message) {
        send(Contract.of(message).routingKey(), message);
    }

    /** Answers an email request of {@code requester} (the request's {@code appId}). */
    public void answer(Object answer, String requester) {
        send(MessagingTopology.answerKey(Contract.of(answer), requester), answer);
    }

    /**
     * Puts a message as it was received (its type, id, source and headers, its publishing time among them)
     * straight onto {@code queue},
     * for a consumer that hands it on rather than handling it. The copy is persistent, as everything
     * published here is: spring-rabbit keeps a received message's delivery mode apart (as
     * {@code receivedDeliveryMode}) and sends none for it, so forwarded as it is, it would be transient
     * and lost when the broker restarts, here and wherever the broker moves it on (expiry, dead letters).
     */
    public void forward(Message message, String queue) {
        Message persistent = new Message(message.getBody(),
                MessagePropertiesBuilder.fromClonedProperties(message.getMessageProperties())
                        .setDeliveryMode(MessageDeliveryMode.PERSISTENT)
                        .build());
        CorrelationData correlation = new CorrelationData(UUID.randomUUID().toString());
        try {
            rabbit.send("", queue, persistent, correlation);
        } catch (AmqpException e) {
            throw new MessageNotSentException("the broker is unreachable for " + queue, e);
        }
        confirmed(correlation, queue);
    }

    private void send(String routingKey, Object message) {
        CorrelationData correlation = new CorrelationData(UUID.randomUUID().toString());
        try {
            rabbit.convertAndSend(MessagingTopology.EXCHANGE, routingKey, message, sent -> {
                sent.getMessageProperties().setAppId(source);
                sent.getMessageProperties().setHeader(PUBLISHED_AT, publishedAt(clock.instant()));
                return sent;
            }, correlation);
        } catch (AmqpException e) {
            throw new MessageNotSentException("the broker is unreachable for " + routingKey, e);
        }
        confirmed(correlation, routingKey);
    }

    private void confirmed(CorrelationData correlation, String routingKey) {
        CorrelationData.Confirm confirm = awaitConfirm(correlation, routingKey);
        if (!confirm.isAck()) {
            throw new MessageNotSentException("the broker refused " + routingKey + ": " + confirm.getReason());
        }
        ReturnedMessage returned = correlation.getReturned();
        if (returned != null) {
            throw new MessageUnroutableException("no queue takes " + routingKey + ": " + returned.getReplyText());
        }
    }

    private CorrelationData.Confirm awaitConfirm(CorrelationData correlation, String routingKey) {
        try {
            return correlation.getFuture().get(confirmTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new MessageNotSentException("no confirm for " + routingKey + " within " + confirmTimeout, e);
        } catch (ExecutionException e) {
            throw new MessageNotSentException("no confirm for " + routingKey, e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MessageNotSentException("interrupted waiting for the confirm of " + routingKey, e);
        }
    }
}
