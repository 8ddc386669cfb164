package org.nhsv2.notification.erasure;

import org.junit.jupiter.api.Test;
import org.nhsv2.contracts.Contract;
import org.nhsv2.contracts.EmailDelivered;
import org.nhsv2.contracts.EmailRequested;
import org.nhsv2.contracts.PatientPersonalDataErased;
import org.nhsv2.notification.NotificationIntegrationTest;
import org.nhsv2.platform.messaging.MessagingTopology;
import org.nhsv2.platform.testing.DemoUsers;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;
import static org.nhsv2.contracts.EmailTemplate.APPOINTMENT_CONFIRMATION;
import static org.nhsv2.contracts.EmailTemplate.PAYMENT_RECEIPT;
import static org.nhsv2.notification.EmailRequestFixtures.request;

/** {@code PatientPersonalDataErased} over the real RabbitMQ: the patient's stored emails go, the delivery facts stay. */
class ErasureIT extends NotificationIntegrationTest {

    @Test
    void shouldDeleteOnlyThatPatientsEmailsAndKeepTheDeliveryFactsWhenAPatientIsErased() {
        UUID erased = UUID.randomUUID();
        UUID other = UUID.randomUUID();
        String erasedAddress = "erased." + erased + "@example.test";
        List<EmailRequested> erasedEmails = List.of(
                request(APPOINTMENT_CONFIRMATION).patient(erased).recipient(erasedAddress).invitation().build(),
                request(PAYMENT_RECEIPT).patient(erased).recipient(erasedAddress).build());
        EmailRequested otherEmail = request(APPOINTMENT_CONFIRMATION).patient(other).recipient("other." + other + "@example.test")
                .build();
        erasedEmails.forEach(this::publish);
        publish(otherEmail);
        erasedEmails.forEach(request -> assertThat(awaitAnswer(request.requestId())).isInstanceOf(EmailDelivered.class));
        EmailDelivered otherDelivered = (EmailDelivered) awaitAnswer(otherEmail.requestId());
        Instant erasedAt = clock.instant().truncatedTo(ChronoUnit.MILLIS);

        erase(new PatientPersonalDataErased(erased, erasedAt));

        Map<String, Object> erasure = awaitErasure(erased, erasedAt);
        assertThat(erasure.get("mailbox_emails_deleted")).isEqualTo(2);
        assertThat(emailsKeptFor(erased)).isZero();
        assertThat(as(DemoUsers.ADMIN).get("/api/mailbox?recipient=" + erasedAddress).body().path("emails")).isEmpty();
        for (EmailRequested request : erasedEmails) {
            Map<String, Object> facts = jdbc.sql("SELECT * FROM handled_request WHERE request_id = ?")
                    .param(request.requestId()).query().singleRow();
            assertThat(facts.get("outcome")).isEqualTo("DELIVERED");
            assertThat(facts.get("patient_id")).isEqualTo(erased);
            assertThat(facts.get("correlation_id")).isEqualTo(request.correlationId());
            assertThat((String) facts.get("provider_message_id")).startsWith("mailbox:");
            assertThat(facts.get("delivered_at")).isNotNull();
            assertThat(facts.get("handled_at")).isNotNull();
        }
        assertThat(emailsKeptFor(other)).isEqualTo(1);
        assertThat(jdbc.sql("SELECT subject FROM mailbox WHERE request_id = ?").param(otherEmail.requestId())
                .query(String.class).single()).isNotBlank();
        assertThat(otherDelivered.providerMessageId()).startsWith("mailbox:");
    }

    @Test
    void shouldChangeNothingMoreWhenTheSameErasureArrivesAgain() {
        UUID patient = UUID.randomUUID();
        EmailRequested email = request(PAYMENT_RECEIPT).patient(patient).build();
        publish(email);
        awaitAnswer(email.requestId());
        Instant first = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        erase(new PatientPersonalDataErased(patient, first));
        awaitErasure(patient, first);

        erase(new PatientPersonalDataErased(patient, first));
        Instant second = first.plusSeconds(60);
        erase(new PatientPersonalDataErased(patient, second));

        // The second erasure is handled after the repeated first one (one queue, one consumer).
        assertThat(awaitErasure(patient, second).get("mailbox_emails_deleted")).isEqualTo(0);
        assertThat(jdbc.sql("SELECT erased_at, mailbox_emails_deleted FROM patient_erasure WHERE patient_id = ?"
                        + " ORDER BY erased_at").param(patient)
                .query((row, number) -> tuple(row.getObject("erased_at", OffsetDateTime.class).toInstant(),
                        row.getInt("mailbox_emails_deleted")))
                .list())
                .containsExactly(tuple(first, 1), tuple(second, 0));
        assertThat(jdbc.sql("SELECT outcome FROM handled_request WHERE request_id = ?").param(email.requestId())
                .query(String.class).single()).isEqualTo("DELIVERED");
    }

    private void erase(PatientPersonalDataErased erased) {
        rabbit.convertAndSend(MessagingTopology.EXCHANGE, Contract.PATIENT_PERSONAL_DATA_ERASED.routingKey(), erased,
                message -> {
                    message.getMessageProperties().setAppId(MessagingTopology.APPOINTMENT_SERVICE);
                    return message;
                });
    }

    private Map<String, Object> awaitErasure(UUID patientId, Instant erasedAt) {
        return await().atMost(DEADLINE).until(() -> jdbc.sql("SELECT * FROM patient_erasure WHERE patient_id = ? AND"
                                + " erased_at = ?").params(patientId, erasedAt.atOffset(ZoneOffset.UTC))
                        .query().listOfRows(),
                rows -> rows.size() == 1).get(0);
    }

    private int emailsKeptFor(UUID patientId) {
        return jdbc.sql("SELECT count(*) FROM mailbox WHERE patient_id = ?").param(patientId).query(Integer.class).single();
    }
}
