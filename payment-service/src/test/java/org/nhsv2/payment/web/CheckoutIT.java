package org.nhsv2.payment.web;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.nhsv2.payment.PaymentIntegrationTest;
import org.nhsv2.platform.testing.Api;
import org.nhsv2.platform.testing.DemoUsers;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/** POST /api/checkouts over HTTP: who may pay for whom, what the body may hold, and Idempotency-Key. */
class CheckoutIT extends PaymentIntegrationTest {

    @Test
    void shouldSnapshotCataloguePricesAndAnswerWithTheCheckoutLink() {
        Api.Response response = as(DemoUsers.ALICE).post("/api/checkouts", checkout());

        assertThat(response.status()).as(response.body().toString()).isEqualTo(201);
        assertThat(response.header("Location")).hasValue("/api/transactions/" + response.text("transactionId"));
        JsonNode body = response.body();
        assertThat(body.path("status").asText()).isEqualTo("OPEN");
        assertThat(body.path("currency").asText()).isEqualTo("GBP");
        assertThat(body.path("totalAmount").asLong()).isEqualTo(2 * 1250 + 4500);
        assertThat(body.path("items").get(0).path("name").asText()).isEqualTo("Amoxicillin 500 mg capsules, pack of 21");
        assertThat(body.path("items").get(0).path("amount").asLong()).isEqualTo(2500);
        assertThat(body.path("patientEmail").asText()).isEqualTo("pat.one@example.test");
        assertThat(body.path("checkoutUrl").asText()).contains("/sandbox/checkout/cs_sandbox_");
        // Stored sealed: the view's row holds no clear personal data.
        String stored = jdbc.queryForObject("select patient_email from transaction_view where transaction_id = ?",
                String.class, idOf(body));
        assertThat(stored).doesNotContain("pat.one");
    }

    @Test
    void shouldKeepTheSameProductOnTwoLinesWithTheSameQuantity() {
        Api.Response response = as(DemoUsers.ALICE).post("/api/checkouts", checkout(DemoUsers.RIVERSIDE,
                DemoUsers.PAT_ONE_ID, List.of(item(AMOXICILLIN_GBP, 1), item(AMOXICILLIN_GBP, 1))));

        assertThat(response.status()).as(response.body().toString()).isEqualTo(201);
        assertThat(response.body().path("items")).hasSize(2);
        assertThat(response.body().path("totalAmount").asLong()).isEqualTo(2 * 1250);
        // The projection went on: a later checkout shows too.
        assertThat(as(DemoUsers.ALICE).post("/api/checkouts", checkout()).status()).isEqualTo(201);
    }

    @Test
    void shouldLetAPatientPayForThemselvesWithTheirIdentityFromTheToken() {
        Map<String, Object> body = checkout();
        body.remove("patientId");
        body.remove("patientName");
        body.remove("patientEmail");

        Api.Response response = as(DemoUsers.PAT_ONE).post("/api/checkouts", body);

        assertThat(response.status()).as(response.body().toString()).isEqualTo(201);
        assertThat(response.text("patientId")).isEqualTo(DemoUsers.PAT_ONE_ID.toString());
        assertThat(response.text("patientName")).isEqualTo("Pat One");
        assertThat(response.text("patientEmail")).isEqualTo("pat.one@example.test");
    }

    @Test
    void shouldRefuseAPatientPayingForAnotherPatient() {
        Map<String, Object> body = checkout(DemoUsers.RIVERSIDE, DemoUsers.PAT_TWO_ID, List.of(item(CONSULTATION_GBP, 1)));

        Api.Response response = as(DemoUsers.PAT_ONE).post("/api/checkouts", body);

        assertThat(response.status()).isEqualTo(403);
        assertThat(response.text("code")).isEqualTo("patient-forbidden");
    }

    @Test
    void shouldRefuseADoctorOfAnotherFacility() {
        Api.Response response = as(DemoUsers.BOB).post("/api/checkouts", checkout());

        assertThat(response.status()).isEqualTo(403);
        assertThat(response.text("code")).isEqualTo("facility-forbidden");
        assertThat(response.header("Content-Type")).hasValueSatisfying(type -> assertThat(type)
                .startsWith("application/problem+json"));
    }

    @Test
    void shouldRefuseAnyPriceAmountTotalOrCurrencyInTheBody() {
        for (String field : List.of("price", "amount", "totalAmount", "total", "currency", "unitAmount")) {
            Map<String, Object> body = checkout();
            body.put(field, field.equals("currency") ? "GBP" : 1);
            Api.Response response = as(DemoUsers.ALICE).post("/api/checkouts", body);
            assertThat(response.status()).as(field).isEqualTo(400);
            assertThat(response.body().path("errors").get(0).path("field").asText()).isEqualTo(field);
        }
        Map<String, Object> pricedItem = item(CONSULTATION_GBP, 1);
        pricedItem.put("unitAmount", 1);
        Api.Response response = as(DemoUsers.ALICE).post("/api/checkouts",
                checkout(DemoUsers.RIVERSIDE, DemoUsers.PAT_ONE_ID, List.of(pricedItem)));
        assertThat(response.status()).isEqualTo(400);
        assertThat(response.body().path("errors").get(0).path("message").asText()).isEqualTo("unknown field");
    }

    @Test
    void shouldAnswer422ForUnknownInactiveOrMixedCurrencyProducts() {
        Api alice = as(DemoUsers.ALICE);
        assertThat(alice.post("/api/checkouts", checkout(DemoUsers.RIVERSIDE, DemoUsers.PAT_ONE_ID,
                List.of(item(UUID.randomUUID(), 1)))).text("code")).isEqualTo("unknown-product");
        assertThat(alice.post("/api/checkouts", checkout(DemoUsers.RIVERSIDE, DemoUsers.PAT_ONE_ID,
                List.of(item(DISCONTINUED_GBP, 1)))).text("code")).isEqualTo("inactive-product");
        Api.Response mixed = alice.post("/api/checkouts", checkout(DemoUsers.RIVERSIDE, DemoUsers.PAT_ONE_ID,
                List.of(item(CONSULTATION_GBP, 1), item(CONSULTATION_EUR, 1))));
        assertThat(mixed.status()).isEqualTo(422);
        assertThat(mixed.text("code")).isEqualTo("mixed-currencies");
    }

    @Test
    void shouldValidateQuantitiesItemsAndTheDoctorsPatientFields() {
        Api alice = as(DemoUsers.ALICE);
        assertThat(alice.post("/api/checkouts", checkout(DemoUsers.RIVERSIDE, DemoUsers.PAT_ONE_ID,
                List.of(item(CONSULTATION_GBP, 0)))).status()).isEqualTo(400);
        assertThat(alice.post("/api/checkouts", checkout(DemoUsers.RIVERSIDE, DemoUsers.PAT_ONE_ID,
                List.of(item(CONSULTATION_GBP, 101)))).status()).isEqualTo(400);
        assertThat(alice.post("/api/checkouts", checkout(DemoUsers.RIVERSIDE, DemoUsers.PAT_ONE_ID,
                List.of())).status()).isEqualTo(400);
        Map<String, Object> noPatient = checkout();
        noPatient.remove("patientEmail");
        Api.Response response = alice.post("/api/checkouts", noPatient);
        assertThat(response.status()).isEqualTo(400);
        assertThat(response.body().path("errors").get(0).path("field").asText()).isEqualTo("patientEmail");
        Map<String, Object> quoted = checkout();
        quoted.put("patientEmail", "\"pat one\"@example.test");
        Api.Response refused = alice.post("/api/checkouts", quoted);
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.body().path("errors").get(0).path("field").asText()).isEqualTo("patientEmail");
    }

    @Test
    void shouldReplayTheSameCheckoutForTheSameKeyAndRefuseTheKeyForAnotherBody() {
        Api alice = as(DemoUsers.ALICE);
        Map<String, String> key = Map.of("Idempotency-Key", UUID.randomUUID().toString());

        Api.Response first = alice.post("/api/checkouts", checkout(), key);
        Api.Response again = alice.post("/api/checkouts", checkout(), key);

        assertThat(again.status()).isEqualTo(201);
        assertThat(again.header("Idempotent-Replayed")).hasValue("true");
        assertThat(again.text("transactionId")).isEqualTo(first.text("transactionId"));
        assertThat(again.text("checkoutUrl")).isEqualTo(first.text("checkoutUrl"));
        Api.Response other = alice.post("/api/checkouts", checkout(DemoUsers.RIVERSIDE, DemoUsers.PAT_ONE_ID,
                List.of(item(CONSULTATION_GBP, 3))), key);
        assertThat(other.status()).isEqualTo(409);
        assertThat(other.text("code")).isEqualTo("idempotency-key-reused");
    }

    @Test
    void shouldMakeOneTransactionAndOneSessionForTwentyParallelRequestsWithOneKey() throws Exception {
        Api alice = as(DemoUsers.ALICE);
        Map<String, String> key = Map.of("Idempotency-Key", UUID.randomUUID().toString());
        int requests = 20;
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(requests);
        try {
            List<Future<Api.Response>> answers = new ArrayList<>();
            for (int i = 0; i < requests; i++) {
                Callable<Api.Response> call = () -> {
                    start.await();
                    return alice.post("/api/checkouts", checkout(), key);
                };
                answers.add(pool.submit(call));
            }
            start.countDown();
            Set<String> transactions = new HashSet<>();
            Set<String> urls = new HashSet<>();
            for (Future<Api.Response> answer : answers) {
                Api.Response response = answer.get();
                assertThat(response.status()).as(response.body().toString()).isIn(201, 202);
                transactions.add(response.header("Location").orElseThrow());
                if (response.status() == 201) {
                    urls.add(response.text("checkoutUrl"));
                }
            }
            assertThat(transactions).hasSize(1);
            assertThat(urls).hasSize(1);
            UUID transactionId = UUID.fromString(transactions.iterator().next().replace("/api/transactions/", ""));
            assertThat(jdbc.queryForObject("select count(*) from sandbox_checkout_session where transaction_id = ?",
                    Integer.class, transactionId)).isEqualTo(1);
            assertThat(jdbc.queryForObject("select count(*) from domain_event_entry where aggregate_identifier = ?"
                    + " and payload_type like '%CheckoutOpenedEvent'", Integer.class, transactionId.toString())).isEqualTo(1);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void shouldAskForATokenAndRefuseAdminsCheckouts() {
        assertThat(Api.anonymous(port).post("/api/checkouts", checkout()).status()).isEqualTo(401);
        assertThat(as(DemoUsers.ADMIN).post("/api/checkouts", checkout()).status()).isEqualTo(403);
    }
}
