package org.nhsv2.notification.email;

import org.nhsv2.contracts.EmailFailed;
import org.nhsv2.contracts.EmailRequested;
import org.nhsv2.platform.messaging.IntegrationMessages;
import org.nhsv2.platform.messaging.MessageNotSentException;
import org.nhsv2.platform.messaging.MessageUnroutableException;
import org.nhsv2.platform.messaging.MessagingTopology;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.AmqpRejectAndDontRequeueException;
import org.springframework.amqp.ImmediateRequeueAmqpException;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.rabbit.retry.MessageRecoverer;
import org.springframework.amqp.rabbit.support.ListenerExecutionFailedException;
import org.springframework.amqp.support.converter.MessageConverter;
import org.springframework.stereotype.Component;

import java.time.Duration;

/**
 * What happens to a message once the listener's quick retries are spent. An email request whose
 * provider was away (429, 5xx, not reached, our key or sender refused) waits in
 * {@link MessagingTopology#NOTIFICATION_EMAIL_REQUESTS_LATER}, persistent as it came, and comes back, so
 * an outage of the provider loses nothing and sends nothing twice; after the last wait the requester is
 * told it failed, not for good, and the request is dead-lettered for an operator. One whose provider's
 * answer was lost ({@link EmailAnswerLostException}, not retried quickly) waits the same way before it is
 * sent again; {@link EmailRequests} bounds how often. Anything else is dead-lettered, as the platform
 * does by default.
 *
 * <p>Should the broker not take the waiting copy or an answer ({@link MessageNotSentException}: no confirm in
 * time, a memory or disk alarm), the parked one or the listener's own after its tries, the request goes back on
 * its queue, after a short pause, and is handled again (a stored outcome is answered again, nothing sent twice):
 * dead-lettered instead, no one would answer it and its requester would never ask again. An answer no queue
 * takes (a requester unknown here) dead-letters it.
 */
@Component
class ProviderAwayRecoverer implements MessageRecoverer {

    /** How many times this request has waited. */
    static final String WAITS = "nhsv2-waits";
    /** The longest pause before a request the broker did not take goes back on its queue. */
    static final Duration MAX_PAUSE_BEFORE_REQUEUE = Duration.ofSeconds(5);
    private static final Logger log = LoggerFactory.getLogger(ProviderAwayRecoverer.class);

    private final IntegrationMessages messages;
    private final MessageConverter converter;
    private final LaterSettings settings;

    ProviderAwayRecoverer(IntegrationMessages messages, MessageConverter converter, LaterSettings settings) {
        this.messages = messages;
        this.converter = converter;
        this.settings = settings;
    }

    @Override
    public void recover(Message message, Throwable cause) {
        MessageProperties properties = message.getMessageProperties();
        if (!MessagingTopology.NOTIFICATION_EMAIL_REQUESTS.equals(properties.getConsumerQueue())) {
            throw new AmqpRejectAndDontRequeueException("given up after retries", cause);
        }
        EmailAnswerLostException lost = among(cause, EmailAnswerLostException.class);
        if (lost != null) {
            properties.setExpiration(String.valueOf(settings.delay().toMillis()));
            park(message);
            log.warn("Email request {}: {}; the provider may have the email, which is sent again in {}",
                    properties.getMessageId(), lost.getMessage(), settings.delay());
            return;
        }
        MessageNotSentException notAnswered = among(cause, MessageNotSentException.class);
        if (notAnswered != null && !(notAnswered instanceof MessageUnroutableException)) {
            // Handled and stored; only the answer did not get out (no confirm, a broker alarm): the request comes
            // back, finds its outcome and is answered again, nothing sent twice. Dead-lettered, it stayed unanswered.
            requeueAfterAPause(message, "its answer", notAnswered);
        }
        if (among(cause, EmailProviderUnavailableException.class) == null) {
            throw new AmqpRejectAndDontRequeueException("given up after retries", cause);
        }
        Number waited = properties.getHeader(WAITS);
        int waits = waited == null ? 0 : waited.intValue();
        if (waits < settings.maxWaits()) {
            properties.setHeader(WAITS, waits + 1);
            properties.setExpiration(String.valueOf(settings.delay().toMillis()));
            park(message);
            log.warn("Email request {}: the provider is away ({}); trying again in {} (wait {} of {})",
                    properties.getMessageId(), cause.getCause() != null ? cause.getCause().getMessage() : cause.getMessage(),
                    settings.delay(), waits + 1, settings.maxWaits());
            return;
        }
        EmailRequested request = (EmailRequested) converter.fromMessage(message);
        EmailFailed failed = new EmailFailed(request.requestId(), request.correlationId(),
                "the email provider was unavailable for " + settings.delay().multipliedBy(waits) + "; not sent", false);
        publishOrRequeue(message, "its answer", () -> {
            try {
                messages.answer(failed, properties.getAppId());
            } catch (MessageUnroutableException noRequester) {
                // A requester with no answer queue here (unknown, renamed): requeued, the request would call the
                // provider and wait again for as long as it is away; dead-lettered, an operator sees it.
                log.error("Email request {}: no queue takes the answer to {}; the request is dead-lettered",
                        properties.getMessageId(), properties.getAppId());
                throw new AmqpRejectAndDontRequeueException("no queue takes the answer to " + properties.getAppId(),
                        noRequester);
            }
        });
        log.error("Email request {}: the provider stayed away for {} waits; the requester is told, the request dead-lettered",
                properties.getMessageId(), waits);
        throw new AmqpRejectAndDontRequeueException("provider away after " + waits + " waits", cause);
    }

    private void park(Message message) {
        publishOrRequeue(message, "its wait",
                () -> messages.forward(message, MessagingTopology.NOTIFICATION_EMAIL_REQUESTS_LATER));
    }

    /**
     * Publishes, or has the broker put the request back where it was (as it came, its waits uncounted). The
     * pause keeps a broker that refuses for a while from being asked again at once, over and over: the
     * request comes back to the listener, which tries the provider again before it gets here (with its
     * back-off; after a lost answer, once, counting it, so those resends stay bounded too). Bounded, as it
     * holds the listener's thread.
     */
    private void publishOrRequeue(Message message, String what, Runnable publish) {
        try {
            publish.run();
        } catch (MessageNotSentException notSent) {
            requeueAfterAPause(message, what, notSent);
        }
    }

    private void requeueAfterAPause(Message message, String what, MessageNotSentException notSent) {
        log.warn("Email request {}: the broker did not take {} ({}); the request goes back on its queue",
                message.getMessageProperties().getMessageId(), what, notSent.getMessage());
        pause();
        // As the listener's own failures come: thrown bare from here, it would also restart the consumer.
        throw new ListenerExecutionFailedException("the broker did not take " + what,
                new ImmediateRequeueAmqpException("the broker did not take " + what, notSent), message);
    }

    private void pause() {
        Duration pause = settings.delay().compareTo(MAX_PAUSE_BEFORE_REQUEUE) < 0
                ? settings.delay() : MAX_PAUSE_BEFORE_REQUEUE;
        try {
            Thread.sleep(pause.toMillis());
        } catch (InterruptedException stopping) {
            Thread.currentThread().interrupt();
        }
    }

    /** The first {@code type} in the chain of causes, or null. */
    private static <T extends Throwable> T among(Throwable failure, Class<T> type) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (type.isInstance(cause)) {
                return type.cast(cause);
            }
        }
        return null;
    }
}
