package org.nhsv2.notification.email;

import org.apache.commons.logging.LogFactory;
import org.junit.jupiter.api.Test;
import org.nhsv2.contracts.EmailFailed;
import org.nhsv2.contracts.EmailRequested;
import org.nhsv2.platform.messaging.ContractMessageConverter;
import org.nhsv2.platform.messaging.IntegrationMessages;
import org.nhsv2.platform.messaging.MessageNotSentException;
import org.nhsv2.platform.messaging.MessageUnroutableException;
import org.nhsv2.platform.messaging.MessagingTopology;
import org.springframework.amqp.AmqpRejectAndDontRequeueException;
import org.springframework.amqp.ImmediateRequeueAmqpException;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.rabbit.listener.support.ContainerUtils;
import org.springframework.amqp.rabbit.support.ListenerExecutionFailedException;

import java.net.SocketTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.nhsv2.contracts.EmailTemplate.APPOINTMENT_CONFIRMATION;
import static org.nhsv2.notification.EmailRequestFixtures.request;

/**
 * The recoverer alone, with a publisher that records or refuses what it is given: what the broker does with
 * the request afterwards ({@code SendGridIT}) follows from the exception it throws.
 */
class ProviderAwayRecovererTest {

    private static final LaterSettings LATER = new LaterSettings(Duration.ofMillis(10), 2, 1);
    private static final ContractMessageConverter CONTRACTS = new ContractMessageConverter();

    private final EmailRequested request = request(APPOINTMENT_CONFIRMATION).build();
    private final Publisher publisher = new Publisher();
    private final ProviderAwayRecoverer recoverer = new ProviderAwayRecoverer(publisher, CONTRACTS, LATER);

    @Test
    void shouldParkTheRequestWithItsWaitCountedWhenTheProviderWasAway() {
        recoverer.recover(received(0), new EmailProviderUnavailableException("SendGrid answered 503"));

        assertThat(publisher.forwarded).singleElement().satisfies(parked -> {
            assertThat(parked.getMessageProperties().<Integer>getHeader(ProviderAwayRecoverer.WAITS)).isEqualTo(1);
            assertThat(parked.getMessageProperties().getExpiration()).isEqualTo("10");
        });
    }

    @Test
    void shouldParkTheRequestWithoutCountingAWaitWhenTheProvidersAnswerWasLost() {
        recoverer.recover(received(0), new AmqpRejectAndDontRequeueException("not retried",
                new EmailAnswerLostException("SendGrid's answer was lost", new SocketTimeoutException("Read timed out"))));

        assertThat(publisher.forwarded).singleElement().satisfies(parked -> {
            assertThat(parked.getMessageProperties().<Integer>getHeader(ProviderAwayRecoverer.WAITS)).isNull();
            assertThat(parked.getMessageProperties().getExpiration()).isEqualTo("10");
        });
    }

    // Thrown bare, MessageNotSentException was dead-lettered while the platform rejected without requeueing by
    // default (the requester was never answered and never asked again); requeued now only by that default, at the
    // price of the listener's consumer restarting.
    @Test
    void shouldHaveTheRequestRequeuedNotDeadLetteredWhenTheBrokerDoesNotTakeItsWait() {
        publisher.refuse = true;

        assertThatThrownBy(() -> recoverer.recover(received(0), new EmailProviderUnavailableException("SendGrid answered 503")))
                .satisfies(ProviderAwayRecovererTest::requeues);
        assertThatThrownBy(() -> recoverer.recover(received(0), new EmailAnswerLostException("SendGrid's answer was lost",
                new SocketTimeoutException("Read timed out"))))
                .satisfies(ProviderAwayRecovererTest::requeues);
    }

    @Test
    void shouldHaveTheRequestRequeuedNotDeadLetteredWhenTheBrokerDoesNotTakeTheAnswerAfterTheLastWait() {
        publisher.refuse = true;

        assertThatThrownBy(() -> recoverer.recover(received(LATER.maxWaits()),
                new EmailProviderUnavailableException("SendGrid answered 503")))
                .satisfies(ProviderAwayRecovererTest::requeues);
    }

    /** The listener handled it and stored its outcome, then could not publish the answer for its five tries. */
    @Test
    void shouldHaveTheRequestRequeuedWhenTheListenerCouldNotPublishItsAnswer() {
        assertThatThrownBy(() -> recoverer.recover(received(0), new ListenerExecutionFailedException("listener failed",
                new MessageNotSentException("no confirm for email-delivered.appointment-service within 10s"))))
                .satisfies(ProviderAwayRecovererTest::requeues);
        assertThat(publisher.forwarded).as("parked").isEmpty();
    }

    @Test
    void shouldDeadLetterWhenNoQueueTakesTheListenersAnswer() {
        assertThatThrownBy(() -> recoverer.recover(received(0), new ListenerExecutionFailedException("listener failed",
                new MessageUnroutableException("no queue takes email-delivered.someone: NO_ROUTE"))))
                .isInstanceOf(AmqpRejectAndDontRequeueException.class);
    }

    @Test
    void shouldDeadLetterNotRequeueWhenNoQueueTakesTheAnswerAfterTheLastWait() {
        publisher.noRequesterQueue = true;

        assertThatThrownBy(() -> recoverer.recover(received(LATER.maxWaits()),
                new EmailProviderUnavailableException("SendGrid answered 503")))
                .isInstanceOf(AmqpRejectAndDontRequeueException.class)
                .satisfies(thrown -> assertThat(ContainerUtils.shouldRequeue(true, thrown,
                        LogFactory.getLog(ProviderAwayRecovererTest.class))).as("requeued").isFalse());
    }

    @Test
    void shouldAnswerFailedForNowAndDeadLetterWhenTheProviderStayedAwayForEveryWait() {
        assertThatThrownBy(() -> recoverer.recover(received(LATER.maxWaits()),
                new EmailProviderUnavailableException("SendGrid answered 503")))
                .isInstanceOf(AmqpRejectAndDontRequeueException.class);

        assertThat(publisher.answered).singleElement().isInstanceOfSatisfying(EmailFailed.class,
                failed -> assertThat(failed.permanent()).isFalse());
    }

    /**
     * What has the container requeue the message, whatever {@code default-requeue-rejected} says, and keep its
     * consumer: a listener's failure (anything else restarts the consumer) caused by a request to requeue.
     */
    private static void requeues(Throwable thrown) {
        assertThat(thrown).isInstanceOf(ListenerExecutionFailedException.class)
                .hasCauseInstanceOf(ImmediateRequeueAmqpException.class)
                .hasRootCauseInstanceOf(MessageNotSentException.class);
        assertThat(ContainerUtils.shouldRequeue(false, thrown, LogFactory.getLog(ProviderAwayRecovererTest.class))).isTrue();
    }

    private Message received(int waits) {
        MessageProperties properties = new MessageProperties();
        properties.setMessageId(request.requestId().toString());
        properties.setAppId(MessagingTopology.APPOINTMENT_SERVICE);
        properties.setConsumerQueue(MessagingTopology.NOTIFICATION_EMAIL_REQUESTS);
        if (waits > 0) {
            properties.setHeader(ProviderAwayRecoverer.WAITS, waits);
        }
        return CONTRACTS.toMessage(request, properties);
    }

    /** Takes what it is given, or refuses it as a broker without a confirm or a queue for it does. */
    private static final class Publisher extends IntegrationMessages {

        private final List<Message> forwarded = new ArrayList<>();
        private final List<Object> answered = new ArrayList<>();
        private boolean refuse;
        private boolean noRequesterQueue;

        Publisher() {
            super(null, "notification-service", Duration.ofSeconds(1), Clock.systemUTC());
        }

        @Override
        public void forward(Message message, String queue) {
            if (refuse) {
                throw new MessageNotSentException("no queue takes " + queue + ": NO_ROUTE");
            }
            forwarded.add(message);
        }

        @Override
        public void answer(Object answer, String requester) {
            if (refuse) {
                throw new MessageNotSentException("no confirm for the answer within 1s");
            }
            if (noRequesterQueue) {
                throw new MessageUnroutableException("no queue takes email-failed." + requester + ": NO_ROUTE");
            }
            answered.add(answer);
        }
    }
}
