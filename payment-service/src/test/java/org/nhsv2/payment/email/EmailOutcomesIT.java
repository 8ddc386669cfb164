package org.nhsv2.payment.email;

import com.fasterxml.jackson.databind.JsonNode;
import org.axonframework.config.EventProcessingConfiguration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.nhsv2.contracts.Contract;
import org.nhsv2.contracts.EmailDelivered;
import org.nhsv2.contracts.EmailFailed;
import org.nhsv2.contracts.EmailTemplate;
import org.nhsv2.payment.PaymentIntegrationTest;
import org.nhsv2.payment.TestBroker;
import org.nhsv2.platform.messaging.MessagingTopology;
import org.nhsv2.platform.testing.Api;
import org.nhsv2.platform.testing.DemoUsers;
import org.nhsv2.platform.testing.Projections;
import org.springframework.beans.factory.annotation.Autowired;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.stream.StreamSupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * notification-service's answers, sent to the broker as it sends them: recorded on the transaction once
 * each, shown in its view and history; an answer no transaction asked for is dropped, not retried.
 */
class EmailOutcomesIT extends PaymentIntegrationTest {

    @Autowired
    private EventProcessingConfiguration processing;

    @BeforeEach
    void listenForEmails() {
        TestBroker.get();
        Projections.awaitRunning(processing, jdbc, TransactionEmails.PROCESSING_GROUP);
    }

    @Test
    void shouldShowADeliveryOnTheTransactionAndInItsHistoryAndRecordItOnceWhenAnsweredTwice() {
        UUID id = paidCheckout();
        UUID link = awaitEmails(id, EmailTemplate.PAYMENT_LINK, 1).get(0).email().requestId();
        UUID receipt = awaitEmails(id, EmailTemplate.PAYMENT_RECEIPT, 1).get(0).email().requestId();
        Instant deliveredAt = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        EmailDelivered delivered = new EmailDelivered(link, id, "sg-" + link, deliveredAt);

        TestBroker.get().answer(delivered);

        JsonNode view = awaitView(id, body -> body.path("emails").size() == 1);
        JsonNode email = view.path("emails").get(0);
        assertThat(email.path("requestId").asText()).isEqualTo(link.toString());
        assertThat(email.path("template").asText()).isEqualTo("PAYMENT_LINK");
        assertThat(email.path("status").asText()).isEqualTo("DELIVERED");
        assertThat(email.path("providerMessageId").asText()).isEqualTo("sg-" + link);
        assertThat(Instant.parse(email.path("deliveredAt").asText())).isEqualTo(deliveredAt);
        long version = view.path("version").asLong();

        // The same answer again, then another one: the listener takes them in order, so once the second
        // shows, the first has been handled too.
        TestBroker.get().answer(delivered);
        TestBroker.get().answer(new EmailFailed(receipt, id, "Mailbox pat.one@example.test is full", false));

        JsonNode after = awaitView(id, body -> body.path("emails").size() == 2);
        assertThat(after.path("version").asLong()).isEqualTo(version + 1);
        JsonNode failed = after.path("emails").get(1);
        assertThat(failed.path("template").asText()).isEqualTo("PAYMENT_RECEIPT");
        assertThat(failed.path("status").asText()).isEqualTo("FAILED");
        assertThat(failed.path("failure").asText()).isEqualTo("Mailbox pat.one@example.test is full");
        assertThat(failed.path("permanentFailure").asBoolean()).isFalse();
        JsonNode history = as(DemoUsers.ALICE).get("/api/transactions/" + id + "/history").body().path("entries");
        List<JsonNode> answers = StreamSupport.stream(history.spliterator(), false)
                .filter(entry -> entry.path("cause").asText().equals("email-outcome")).toList();
        assertThat(answers).extracting(entry -> entry.path("type").asText())
                .containsExactly("TransactionEmailDelivered", "TransactionEmailFailed");
        assertThat(answers.get(0).path("changes").toString()).contains("PAYMENT_LINK", "sg-" + link);
        // Sealed where it is stored: the provider's reason may name the recipient.
        assertThat(jdbc.queryForObject("select failure from transaction_email where request_id = ?", String.class, receipt))
                .doesNotContain("pat.one");
    }

    @Test
    void shouldDropAnAnswerForAnUnknownTransactionOrRequestWithoutRetryingOrDeadLetteringIt() {
        UUID id = idOf(openCheckout());
        UUID link = awaitEmails(id, EmailTemplate.PAYMENT_LINK, 1).get(0).email().requestId();
        EmailDelivered unknownTransaction = new EmailDelivered(UUID.randomUUID(), UUID.randomUUID(), "sg-x", Instant.now());
        EmailDelivered unknownRequest = new EmailDelivered(UUID.randomUUID(), id, "sg-y", Instant.now());

        TestBroker.get().answer(unknownTransaction);
        TestBroker.get().answer(unknownRequest);
        TestBroker.get().answer(new EmailDelivered(link, id, "sg-" + link, Instant.now()));

        JsonNode view = awaitView(id, body -> body.path("emails").size() == 1);
        assertThat(view.path("emails").get(0).path("requestId").asText()).isEqualTo(link.toString());
        await().atMost(Duration.ofSeconds(10))
                .until(() -> TestBroker.get().messagesIn(MessagingTopology.PAYMENT_EMAIL_OUTCOMES) == 0);
        List<String> deadLetters = new ArrayList<>(TestBroker.get()
                .takeMessageIds(MessagingTopology.deadLetters(MessagingTopology.PAYMENT_EMAIL_OUTCOMES)));
        assertThat(deadLetters).doesNotContain(Contract.EMAIL_DELIVERED.messageId(unknownTransaction),
                Contract.EMAIL_DELIVERED.messageId(unknownRequest));
    }

    private JsonNode awaitView(UUID id, Predicate<JsonNode> shows) {
        Api alice = as(DemoUsers.ALICE);
        return await().atMost(Duration.ofSeconds(30)).until(() -> alice.get("/api/transactions/" + id).body(), shows);
    }
}
