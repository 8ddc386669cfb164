package org.nhsv2.payment.email;

import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.EventTrackerStatus;
import org.axonframework.eventhandling.TrackingEventProcessor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.nhsv2.contracts.EmailTemplate;
import org.nhsv2.payment.BrokerLink;
import org.nhsv2.payment.PaymentIntegrationTest;
import org.nhsv2.payment.TestBroker;
import org.nhsv2.platform.messaging.MessageNotSentException;
import org.nhsv2.platform.testing.Projections;
import org.springframework.beans.factory.annotation.Autowired;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The broker unreachable for the service (its link cut): the email handler fails rather than skip the
 * email, its processor retries, and once the broker is back the email is asked for, under its one id.
 */
class EmailOutageIT extends PaymentIntegrationTest {

    @Autowired
    private EventProcessingConfiguration processing;

    @BeforeEach
    void listenForEmails() {
        TestBroker.get();
        Projections.awaitRunning(processing, jdbc, TransactionEmails.PROCESSING_GROUP);
    }

    @AfterEach
    void restoreTheBroker() {
        BrokerLink.restore();
    }

    @Test
    void shouldRetryTheEmailWhileTheBrokerIsUnreachableAndAskForItOnceItIsBack() {
        TrackingEventProcessor emails = processing.eventProcessor(TransactionEmails.PROCESSING_GROUP,
                TrackingEventProcessor.class).orElseThrow();
        BrokerLink.cut();

        UUID id = idOf(openCheckout());

        EventTrackerStatus failing = await().atMost(Duration.ofSeconds(30)).until(
                () -> emails.processingStatus().values().stream().filter(EventTrackerStatus::isErrorState).findFirst(),
                status -> status.isPresent()).orElseThrow();
        assertThat(causes(failing.getError())).anyMatch(MessageNotSentException.class::isInstance);
        assertThat(emailsOf(id, EmailTemplate.PAYMENT_LINK)).isEmpty();

        BrokerLink.restore();

        assertThat(awaitEmails(id, EmailTemplate.PAYMENT_LINK, 1)).hasSize(1);
        await().atMost(Duration.ofSeconds(30)).until(() -> emails.processingStatus().values().stream()
                .noneMatch(EventTrackerStatus::isErrorState));
        assertThat(emailsOf(id, EmailTemplate.PAYMENT_LINK)).hasSize(1);
    }

    private static List<Throwable> causes(Throwable error) {
        List<Throwable> causes = new ArrayList<>();
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            causes.add(cause);
        }
        return causes;
    }
}
