package org.nhsv2.payment.email;

import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventsourcing.eventstore.DomainEventStream;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;
import org.nhsv2.contracts.EmailRequested;
import org.nhsv2.contracts.EmailTemplate;
import org.nhsv2.payment.api.CheckoutOpenedEvent;
import org.nhsv2.payment.api.LineItem;
import org.nhsv2.payment.api.PaymentSucceededEvent;
import org.nhsv2.payment.api.RefundRecordedEvent;
import org.nhsv2.payment.api.RefundSucceededEvent;
import org.nhsv2.payment.api.SealedFields;
import org.nhsv2.payment.api.TransactionInitiatedEvent;
import org.nhsv2.platform.api.EncryptedText;
import org.nhsv2.platform.messaging.IntegrationMessages;
import org.nhsv2.platform.messaging.MessageIds;
import org.nhsv2.platform.messaging.MessageNotSentException;
import org.nhsv2.platform.vault.PersonalDataVault;
import org.nhsv2.platform.vault.PersonalDataVault.Binding;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.when;

/** The email handler called directly: what it asks for, under which id, and when it asks for nothing. */
class TransactionEmailsTest {

    private static final Instant NOW = Instant.parse("2030-03-04T09:00:00Z");
    private static final UUID TRANSACTION_ID = UUID.fromString("70000000-0000-0000-0000-000000000001");
    private static final UUID PATIENT_ID = UUID.fromString("e0000000-0000-0000-0000-000000000001");
    private static final String URL = "https://checkout.stripe.com/c/pay/cs_test_a1";
    private static final Instant EXPIRES_AT = NOW.plusSeconds(31 * 60);

    private final EventStore eventStore = mock(EventStore.class);
    private final PersonalDataVault vault = mock(PersonalDataVault.class);
    private final PersonalDataVault.Reader reader = mock(PersonalDataVault.Reader.class);
    private final IntegrationMessages messages = mock(IntegrationMessages.class);
    private final TransactionEmails emails = new TransactionEmails(eventStore, vault, messages,
            Clock.fixed(NOW, ZoneOffset.UTC));

    @BeforeEach
    void setUp() {
        when(vault.readerFor(List.of(PATIENT_ID))).thenReturn(reader);
        // Opens only what was sealed for this transaction and field, as the real vault does.
        when(reader.open(eq(PATIENT_ID), any(), any())).thenAnswer(call -> unseal(call.getArgument(1), call.getArgument(2)));
        initiated("Ada Lovelace", "ada@example.org");
    }

    private void initiated(String name, String email) {
        TransactionInitiatedEvent initiated = new TransactionInitiatedEvent(TRANSACTION_ID,
                UUID.fromString("a0000000-0000-0000-0000-00000000000a"), PATIENT_ID,
                sealed(SealedFields.PATIENT_NAME, name), sealed(SealedFields.PATIENT_EMAIL, email),
                List.of(new LineItem(UUID.randomUUID(), "GP consultation", 4500, 1, 4500)), "GBP", 4500, null, null);
        when(eventStore.readEvents(TRANSACTION_ID.toString(), 0)).thenAnswer(call -> DomainEventStream.of(
                new GenericDomainEventMessage<>("Transaction", TRANSACTION_ID.toString(), 0, initiated)));
    }

    private static EncryptedText sealed(String field, String clearText) {
        return clearText == null ? null : new EncryptedText("sealed:" + field + ":" + clearText);
    }

    private static String unseal(EncryptedText text, Binding binding) {
        if (text == null) {
            return null;
        }
        if (text.ciphertext().equals("erased")) {
            return EncryptedText.ERASED;
        }
        String prefix = "sealed:" + binding.field() + ":";
        assertThat(binding.recordId()).isEqualTo(TRANSACTION_ID);
        assertThat(text.ciphertext()).startsWith(prefix);
        return text.ciphertext().substring(prefix.length());
    }

    private EmailRequested published() {
        ArgumentCaptor<Object> message = ArgumentCaptor.forClass(Object.class);
        verify(messages).publish(message.capture());
        return (EmailRequested) message.getValue();
    }

    @Test
    void shouldAskForTheLinkWithTheTemplatesValuesUnderAnIdDerivedFromTheEventWhenACheckoutOpens() {
        emails.on(new CheckoutOpenedEvent(TRANSACTION_ID, 1, "cs_test_a1", URL, EXPIRES_AT), 1);

        EmailRequested email = published();
        assertThat(email.requestId()).isEqualTo(MessageIds.derived(TRANSACTION_ID, 1, "PAYMENT_LINK"));
        assertThat(email.correlationId()).isEqualTo(TRANSACTION_ID);
        assertThat(email.patientId()).isEqualTo(PATIENT_ID);
        assertThat(email.recipient()).isEqualTo("ada@example.org");
        assertThat(email.template()).isEqualTo(EmailTemplate.PAYMENT_LINK);
        assertThat(email.model()).containsOnlyKeys(EmailTemplate.PAYMENT_LINK.requiredKeys())
                .containsEntry(EmailTemplate.PATIENT_NAME, "Ada Lovelace")
                .containsEntry(EmailTemplate.AMOUNT, "4500")
                .containsEntry(EmailTemplate.CURRENCY, "GBP")
                .containsEntry(EmailTemplate.CHECKOUT_URL, URL)
                .containsEntry(EmailTemplate.EXPIRES_AT, "2030-03-04T09:31:00Z");
        assertThat(email.attachments()).isEmpty();
    }

    @Test
    void shouldAskForTheReceiptWithTheAmountPaidAndWhenWhenThePaymentSucceeds() {
        emails.on(new PaymentSucceededEvent(TRANSACTION_ID, "evt_1", "cs_test_a1", "pi_1", 4500), 2, NOW);

        EmailRequested email = published();
        assertThat(email.requestId()).isEqualTo(MessageIds.derived(TRANSACTION_ID, 2, "PAYMENT_RECEIPT"));
        assertThat(email.template()).isEqualTo(EmailTemplate.PAYMENT_RECEIPT);
        assertThat(email.model()).containsOnlyKeys(EmailTemplate.PAYMENT_RECEIPT.requiredKeys())
                .containsEntry(EmailTemplate.AMOUNT, "4500")
                .containsEntry(EmailTemplate.PAID_AT, "2030-03-04T09:00:00Z");
    }

    @Test
    void shouldAskForARefundNoteOfTheRefundedAmountForARefundHereAndOneMadeAtStripeDirectly() {
        emails.on(new RefundSucceededEvent(TRANSACTION_ID, UUID.randomUUID(), "re_1", null, 1500), 5, NOW);
        emails.on(new RefundRecordedEvent(TRANSACTION_ID, "re_2", "evt_2", 500, "pi_1"), 6, NOW.plusSeconds(60));

        ArgumentCaptor<Object> sent = ArgumentCaptor.forClass(Object.class);
        verify(messages, times(2)).publish(sent.capture());
        List<EmailRequested> notes = sent.getAllValues().stream().map(EmailRequested.class::cast).toList();
        assertThat(notes).extracting(EmailRequested::requestId).containsExactly(
                MessageIds.derived(TRANSACTION_ID, 5, "REFUND_NOTE"), MessageIds.derived(TRANSACTION_ID, 6, "REFUND_NOTE"));
        assertThat(notes).allSatisfy(note -> assertThat(note.model())
                .containsOnlyKeys(EmailTemplate.REFUND_NOTE.requiredKeys()));
        assertThat(notes).extracting(note -> note.model().get(EmailTemplate.AMOUNT)).containsExactly("1500", "500");
        assertThat(notes.get(1).model()).containsEntry(EmailTemplate.REFUNDED_AT, "2030-03-04T09:01:00Z");
    }

    @Test
    void shouldAskForNothingWhenThePatientsDataIsErased() {
        TransactionInitiatedEvent erased = new TransactionInitiatedEvent(TRANSACTION_ID, UUID.randomUUID(), PATIENT_ID,
                new EncryptedText("erased"), new EncryptedText("erased"), List.of(), "GBP", 4500, null, null);
        when(eventStore.readEvents(TRANSACTION_ID.toString(), 0)).thenAnswer(call -> DomainEventStream.of(
                new GenericDomainEventMessage<>("Transaction", TRANSACTION_ID.toString(), 0, erased)));

        emails.on(new PaymentSucceededEvent(TRANSACTION_ID, "evt_1", "cs_test_a1", "pi_1", 4500), 2, NOW);

        verifyNoInteractions(messages);
    }

    @Test
    void shouldAskForNothingWhenThePatientGaveNoEmailAddress() {
        initiated("Ada Lovelace", null);

        emails.on(new CheckoutOpenedEvent(TRANSACTION_ID, 1, "cs_test_a1", URL, EXPIRES_AT), 1);

        verifyNoInteractions(messages);
    }

    @Test
    void shouldNotSendALinkThatExpiredBeforeTheHandlerGotToIt() {
        emails.on(new CheckoutOpenedEvent(TRANSACTION_ID, 1, "cs_test_a1", URL, NOW), 1);

        verifyNoInteractions(messages);
    }

    @Test
    void shouldFailSoThatTheProcessorRetriesWhenTheBrokerDoesNotTakeTheRequest() {
        doThrow(new MessageNotSentException("the broker is unreachable")).when(messages).publish(any());

        assertThatThrownBy(() -> emails.on(new CheckoutOpenedEvent(TRANSACTION_ID, 1, "cs_test_a1", URL, EXPIRES_AT), 1))
                .isInstanceOf(MessageNotSentException.class);
    }
}
