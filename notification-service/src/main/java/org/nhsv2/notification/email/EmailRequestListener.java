package org.nhsv2.notification.email;

import org.nhsv2.contracts.EmailRequested;
import org.nhsv2.platform.messaging.IntegrationMessages;
import org.nhsv2.platform.messaging.MessagingTopology;
import org.springframework.amqp.AmqpRejectAndDontRequeueException;
import org.springframework.amqp.rabbit.annotation.RabbitListener;
import org.springframework.amqp.support.AmqpHeaders;
import org.springframework.messaging.handler.annotation.Header;
import org.springframework.stereotype.Component;

/**
 * Email requests from RabbitMQ, answered to the service that asked (the request's {@code appId}), with the
 * time it published them ({@link IntegrationMessages#PUBLISHED_AT}), which tells whether one was written
 * before its patient's erasure. The
 * answer is published after the handling committed; if publishing fails the listener fails, the
 * request comes back, finds its stored outcome and is answered again: the email is not sent twice.
 * An email whose provider's answer was lost skips the quick retries, each of which would send it again:
 * it goes straight to {@link ProviderAwayRecoverer} and waits before it is sent again.
 */
@Component
class EmailRequestListener {

    private final EmailRequests requests;
    private final IntegrationMessages messages;

    EmailRequestListener(EmailRequests requests, IntegrationMessages messages) {
        this.requests = requests;
        this.messages = messages;
    }

    @RabbitListener(queues = MessagingTopology.NOTIFICATION_EMAIL_REQUESTS)
    void on(EmailRequested request, @Header(name = AmqpHeaders.APP_ID, required = false) String requester,
            @Header(name = IntegrationMessages.PUBLISHED_AT, required = false) Long publishedAt) {
        if (requester == null || requester.isBlank()) {
            // No one could ever be answered: refused before anything is sent; it ends in the dead letters.
            throw new AmqpRejectAndDontRequeueException("EmailRequested " + request.requestId()
                    + " names no requester (appId) to answer");
        }
        // None from a version that did not stamp it: the request then goes only to a patient never erased.
        Object answer;
        try {
            answer = requests.handle(request, requester,
                    publishedAt == null ? null : IntegrationMessages.publishedAt(publishedAt));
        } catch (EmailAnswerLostException lost) {
            // Not retried by the listener: the recoverer makes it wait (the cause tells it why).
            throw new AmqpRejectAndDontRequeueException("EmailRequested " + request.requestId() + ": "
                    + lost.getMessage(), lost);
        }
        messages.answer(answer, requester);
    }
}
