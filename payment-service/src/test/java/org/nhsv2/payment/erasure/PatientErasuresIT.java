package org.nhsv2.payment.erasure;

import com.fasterxml.jackson.databind.JsonNode;
import org.axonframework.config.EventProcessingConfiguration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.nhsv2.contracts.EmailTemplate;
import org.nhsv2.contracts.PatientPersonalDataErased;
import org.nhsv2.payment.PaymentIntegrationTest;
import org.nhsv2.payment.TestBroker;
import org.nhsv2.platform.api.EncryptedText;
import org.nhsv2.platform.testing.Api;
import org.nhsv2.platform.testing.DemoUsers;
import org.nhsv2.platform.testing.Projections;
import org.springframework.beans.factory.annotation.Autowired;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The appointment service's erasure message reaches this service: the patient's key is destroyed here
 * too, their transactions read "[erased]", the erasure is recorded once however often the message comes,
 * and no further email goes to them.
 */
class PatientErasuresIT extends PaymentIntegrationTest {

    @Autowired
    private EventProcessingConfiguration processing;

    @BeforeEach
    void listenForEmails() {
        TestBroker.get();
        Projections.awaitRunning(processing, jdbc, "transaction-emails");
    }

    @Test
    void shouldShredThePatientsDataOnceAndSendThemNoMoreEmailsWhenTheErasureMessageComesEvenTwice() {
        UUID patient = UUID.randomUUID();
        JsonNode transaction = checkoutFor(patient);
        UUID id = idOf(transaction);
        assertThat(awaitEmails(id, EmailTemplate.PAYMENT_LINK, 1).get(0).email().recipient()).isEqualTo("erin@example.test");
        PatientPersonalDataErased erased = new PatientPersonalDataErased(patient, Instant.now().truncatedTo(ChronoUnit.MILLIS),
                "DATA_SUBJECT_REQUEST", "DSR-77");

        TestBroker.get().publish(erased);

        Api alice = as(DemoUsers.ALICE);
        JsonNode view = await().atMost(Duration.ofSeconds(30)).until(() -> alice.get("/api/transactions/" + id).body(),
                body -> EncryptedText.ERASED.equals(body.path("patientName").asText()));
        assertThat(view.path("patientEmail").asText()).isEqualTo(EncryptedText.ERASED);
        assertThat(view.path("totalAmount").asLong()).isEqualTo(4500);
        JsonNode initiated = alice.get("/api/transactions/" + id + "/history").body().path("entries").get(0);
        assertThat(initiated.path("changes").toString()).doesNotContain("Erin", "erin@").contains(EncryptedText.ERASED);
        assertThat(jdbc.queryForObject("select count(*) from patient_data_key where patient_id = ?", Integer.class, patient))
                .isZero();
        assertThat(erasuresRecordedFor(patient)).isEqualTo(1);
        assertThat(jdbc.queryForObject("select count(*) from domain_event_entry where payload_type like"
                + " '%PatientPersonalDataErasedEvent' and convert_from(meta_data, 'UTF8') like ?", Integer.class,
                "%erased:" + patient + ":%")).as("the recorded erasure names the message").isEqualTo(1);
        assertThat(jdbc.queryForObject("select convert_from(payload, 'UTF8') from domain_event_entry where payload_type"
                + " like '%PatientPersonalDataErasedEvent' and convert_from(payload, 'UTF8') like ?", String.class,
                "%" + patient + "%")).as("and the ground the appointment service recorded")
                .contains("\"basis\":\"DATA_SUBJECT_REQUEST\"", "\"reference\":\"DSR-77\"");

        // The same message again (a redelivery), then an erasure of a patient who has nothing here: the
        // listener takes them in order, so once the second is recorded the first was handled too.
        TestBroker.get().publish(erased);
        UUID nobody = UUID.randomUUID();
        // From an older appointment service: no ground to record, and still erased.
        TestBroker.get().publish(new PatientPersonalDataErased(nobody, Instant.now()));
        await().atMost(Duration.ofSeconds(30)).until(() -> erasuresRecordedFor(nobody) == 1);
        assertThat(erasuresRecordedFor(patient)).isEqualTo(1);

        // The patient pays after all: nothing to send a receipt to. Events are handled in order, so once a
        // later checkout's link is asked for, the receipt would have been too.
        assertThat(press(transaction.path("checkoutUrl").asText(), "pay").statusCode()).isEqualTo(303);
        awaitStatus(id, "PAID");
        UUID later = idOf(openCheckout());
        awaitEmails(later, EmailTemplate.PAYMENT_LINK, 1);
        assertThat(emailsOf(id, EmailTemplate.PAYMENT_RECEIPT)).isEmpty();
    }

    private JsonNode checkoutFor(UUID patient) {
        Map<String, Object> body = checkout(DemoUsers.RIVERSIDE, patient, List.of(item(CONSULTATION_GBP, 1)));
        body.put("patientName", "Erin Erased");
        body.put("patientEmail", "erin@example.test");
        Api.Response response = as(DemoUsers.ALICE).post("/api/checkouts", body);
        assertThat(response.status()).as(response.body().toString()).isEqualTo(201);
        return response.body();
    }

    private int erasuresRecordedFor(UUID patient) {
        return jdbc.queryForObject("select count(*) from domain_event_entry where payload_type like"
                + " '%PatientPersonalDataErasedEvent' and convert_from(payload, 'UTF8') like ?", Integer.class,
                "%" + patient + "%");
    }
}
