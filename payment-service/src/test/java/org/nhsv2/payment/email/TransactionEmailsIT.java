package org.nhsv2.payment.email;

import com.fasterxml.jackson.databind.JsonNode;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.TrackingEventProcessor;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.nhsv2.contracts.Contract;
import org.nhsv2.contracts.EmailRequested;
import org.nhsv2.contracts.EmailTemplate;
import org.nhsv2.payment.PaymentIntegrationTest;
import org.nhsv2.payment.TestBroker;
import org.nhsv2.platform.messaging.MessageIds;
import org.nhsv2.platform.testing.Api;
import org.nhsv2.platform.testing.DemoUsers;
import org.nhsv2.platform.testing.Projections;
import org.springframework.beans.factory.annotation.Autowired;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The payment link, receipt and refund note the service asks notification-service for, as they reach
 * the broker: one request per event that calls for one, under an id that stays the same when the
 * handler runs again.
 */
class TransactionEmailsIT extends PaymentIntegrationTest {

    @Autowired
    private EventProcessingConfiguration processing;

    @BeforeEach
    void listenForEmails() {
        TestBroker.get();
        Projections.awaitRunning(processing, jdbc, TransactionEmails.PROCESSING_GROUP);
    }

    @Test
    void shouldAskForOneLinkEmailToThePatientWithTheCheckoutsLinkAmountAndExpiryWhenACheckoutOpens() {
        JsonNode transaction = openCheckout();
        UUID id = idOf(transaction);

        TestBroker.Published published = awaitEmails(id, EmailTemplate.PAYMENT_LINK, 1).get(0);

        EmailRequested email = published.email();
        assertThat(email.requestId()).isEqualTo(MessageIds.derived(id, 1, "PAYMENT_LINK"));
        assertThat(email.correlationId()).isEqualTo(id);
        assertThat(email.patientId()).isEqualTo(DemoUsers.PAT_ONE_ID);
        assertThat(email.recipient()).isEqualTo("pat.one@example.test");
        assertThat(email.model()).containsOnlyKeys(EmailTemplate.PAYMENT_LINK.requiredKeys())
                .containsEntry(EmailTemplate.PATIENT_NAME, "Pat One")
                .containsEntry(EmailTemplate.AMOUNT, "7000")
                .containsEntry(EmailTemplate.CURRENCY, "GBP")
                .containsEntry(EmailTemplate.CHECKOUT_URL, transaction.path("checkoutUrl").asText());
        assertThat(Instant.parse(email.model().get(EmailTemplate.EXPIRES_AT)))
                .isEqualTo(Instant.parse(transaction.path("checkoutExpiresAt").asText()));
        assertThat(published.messageId()).isEqualTo(email.requestId().toString());
        assertThat(published.appId()).isEqualTo("payment-service");
        assertThat(published.type()).isEqualTo(Contract.EMAIL_REQUESTED.type());

        // Paying makes the receipt; the processor handles events in order, so the link was asked for once.
        assertThat(press(transaction.path("checkoutUrl").asText(), "pay").statusCode()).isEqualTo(303);
        EmailRequested receipt = awaitEmails(id, EmailTemplate.PAYMENT_RECEIPT, 1).get(0).email();
        assertThat(emailsOf(id, EmailTemplate.PAYMENT_LINK)).hasSize(1);
        assertThat(receipt.requestId()).isNotEqualTo(email.requestId());
        assertThat(receipt.recipient()).isEqualTo("pat.one@example.test");
        assertThat(receipt.model()).containsOnlyKeys(EmailTemplate.PAYMENT_RECEIPT.requiredKeys())
                .containsEntry(EmailTemplate.PATIENT_NAME, "Pat One")
                .containsEntry(EmailTemplate.AMOUNT, "7000")
                .containsEntry(EmailTemplate.CURRENCY, "GBP");
        assertThat(Instant.parse(receipt.model().get(EmailTemplate.PAID_AT))).isBefore(Instant.now().plusSeconds(1));
    }

    @Test
    void shouldAskForARefundNoteForTheAmountThatWentBack() {
        UUID id = paidCheckout();

        Api.Response refund = as(DemoUsers.ALICE).post("/api/transactions/" + id + "/refunds",
                Map.of("amount", 2500, "reason", "One pack returned"));
        assertThat(refund.status()).as(refund.body().toString()).isEqualTo(201);

        EmailRequested note = awaitEmails(id, EmailTemplate.REFUND_NOTE, 1).get(0).email();
        assertThat(note.recipient()).isEqualTo("pat.one@example.test");
        assertThat(note.model()).containsOnlyKeys(EmailTemplate.REFUND_NOTE.requiredKeys())
                .containsEntry(EmailTemplate.PATIENT_NAME, "Pat One")
                .containsEntry(EmailTemplate.AMOUNT, "2500")
                .containsEntry(EmailTemplate.CURRENCY, "GBP");
        assertThat(Instant.parse(note.model().get(EmailTemplate.REFUNDED_AT))).isNotNull();
    }

    @Test
    void shouldAskAgainUnderTheSameRequestIdsWhenTheHandlerIsReplayed() {
        Instant before = Instant.now(); // Axon stamps events with the real time, whatever the test's clock says
        UUID id = paidCheckout();
        UUID link = awaitEmails(id, EmailTemplate.PAYMENT_LINK, 1).get(0).email().requestId();
        UUID receipt = awaitEmails(id, EmailTemplate.PAYMENT_RECEIPT, 1).get(0).email().requestId();

        TrackingEventProcessor processor = processing.eventProcessor(TransactionEmails.PROCESSING_GROUP,
                TrackingEventProcessor.class).orElseThrow();
        processor.shutDown();
        processor.resetTokens(source -> source.createTokenAt(before.minusSeconds(1)));
        processor.start();

        List<TestBroker.Published> links = awaitEmails(id, EmailTemplate.PAYMENT_LINK, 2);
        List<TestBroker.Published> receipts = awaitEmails(id, EmailTemplate.PAYMENT_RECEIPT, 2);
        assertThat(links).extracting(published -> published.email().requestId()).containsOnly(link);
        assertThat(links).extracting(TestBroker.Published::messageId).containsOnly(link.toString());
        assertThat(receipts).extracting(published -> published.email().requestId()).containsOnly(receipt);
        assertThat(TestBroker.get().emailsAbout(id)).hasSize(4);
    }
}
