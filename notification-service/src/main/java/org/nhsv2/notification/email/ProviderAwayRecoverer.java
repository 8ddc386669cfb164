package org.nhsv2.notification.email;

import org.nhsv2.contracts.EmailFailed;
import org.nhsv2.contracts.EmailRequested;
import org.nhsv2.platform.messaging.IntegrationMessages;
import org.nhsv2.platform.messaging.MessagingTopology;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.AmqpRejectAndDontRequeueException;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.rabbit.retry.MessageRecoverer;
import org.springframework.amqp.support.converter.MessageConverter;
import org.springframework.stereotype.Component;

/**
 * What happens to a message once the listener's quick retries are spent. An email request whose
 * provider was away (429, 5xx, no answer, our key or sender refused) waits in
 * {@link MessagingTopology#NOTIFICATION_EMAIL_REQUESTS_LATER}, persistent as it came, and comes back, so
 * an outage of the provider loses nothing and sends nothing twice; after the last wait the requester is
 * told it failed, not for good, and the request is dead-lettered for an operator. Anything else is
 * dead-lettered, as the platform does by default.
 */
@Component
class ProviderAwayRecoverer implements MessageRecoverer {

    /** How many times this request has waited. */
    static final String WAITS = "nhsv2-waits";
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
        if (!providerWasAway(cause) || !MessagingTopology.NOTIFICATION_EMAIL_REQUESTS.equals(properties.getConsumerQueue())) {
            throw new AmqpRejectAndDontRequeueException("given up after retries", cause);
        }
        Number waited = properties.getHeader(WAITS);
        int waits = waited == null ? 0 : waited.intValue();
        if (waits < settings.maxWaits()) {
            properties.setHeader(WAITS, waits + 1);
            properties.setExpiration(String.valueOf(settings.delay().toMillis()));
            messages.forward(message, MessagingTopology.NOTIFICATION_EMAIL_REQUESTS_LATER);
            log.warn("Email request {}: the provider is away ({}); trying again in {} (wait {} of {})",
                    properties.getMessageId(), cause.getCause() != null ? cause.getCause().getMessage() : cause.getMessage(),
                    settings.delay(), waits + 1, settings.maxWaits());
            return;
        }
        EmailRequested request = (EmailRequested) converter.fromMessage(message);
        messages.answer(new EmailFailed(request.requestId(), request.correlationId(),
                "the email provider was unavailable for " + settings.delay().multipliedBy(waits) + "; not sent", false),
                properties.getAppId());
        log.error("Email request {}: the provider stayed away for {} waits; the requester is told, the request dead-lettered",
                properties.getMessageId(), waits);
        throw new AmqpRejectAndDontRequeueException("provider away after " + waits + " waits", cause);
    }

    private static boolean providerWasAway(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof EmailProviderUnavailableException) {
                return true;
            }
        }
        return false;
    }
}
