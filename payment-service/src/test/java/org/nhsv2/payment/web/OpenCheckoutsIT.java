package org.nhsv2.payment.web;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.nhsv2.payment.PaymentIntegrationTest;
import org.nhsv2.payment.api.PaymentError;
import org.nhsv2.platform.testing.Api;
import org.nhsv2.platform.testing.DemoUsers;
import org.nhsv2.platform.testing.RealmTokens;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Each checkout a patient starts opens a Stripe session and sends an email, and may name any facility: ten of theirs
 * may wait to be paid at once. A new patient each run (a token of the test issuer), so no other test's checkouts count.
 */
@DirtiesContext // closed after its tests: its processors would go on beside the main context's (one node id), emailing twice
class OpenCheckoutsIT extends PaymentIntegrationTest {

    private static final RealmTokens TOKENS = RealmTokens.shared();

    @DynamicPropertySource
    static void issuer(DynamicPropertyRegistry registry) {
        TOKENS.trustedBy(registry);
    }

    @Test
    void shouldRefuseAPatientsEleventhWaitingCheckoutButNotTheirDoctorsNorOneOfTheirsOncePaid() {
        UUID patient = UUID.randomUUID();
        Api self = Api.withToken(port, TOKENS.ofPatient(patient, "new.patient." + patient));
        Api alice = Api.withToken(port, TOKENS.of(DemoUsers.ALICE));
        // Their doctor's checkouts for them do not count against theirs.
        for (int i = 0; i < 2; i++) {
            assertThat(alice.post("/api/checkouts", checkout(DemoUsers.RIVERSIDE, patient,
                    List.of(item(CONSULTATION_GBP, 1)))).status()).isEqualTo(201);
        }
        List<JsonNode> own = new ArrayList<>();
        for (int i = 0; i < PaymentError.MAX_OPEN_CHECKOUTS; i++) {
            Api.Response opened = self.post("/api/checkouts", ownCheckout(), Map.of("Idempotency-Key", "own-" + i));
            assertThat(opened.status()).as("checkout %d: %s", i + 1, opened.body()).isEqualTo(201);
            own.add(opened.body());
        }

        Api.Response refused = self.post("/api/checkouts", ownCheckout(), Map.of("Idempotency-Key", "own-10"));

        assertThat(refused.status()).isEqualTo(409);
        assertThat(refused.header("Content-Type")).hasValue("application/problem+json");
        assertThat(refused.text("code")).isEqualTo("too-many-open-checkouts");
        assertThat(self.post("/api/checkouts", ownCheckout(), Map.of("Idempotency-Key", "own-3")).header(
                "Idempotent-Replayed")).as("a retry of one made is answered with it").hasValue("true");
        assertThat(alice.post("/api/checkouts", checkout(DemoUsers.RIVERSIDE, patient,
                List.of(item(CONSULTATION_GBP, 1)))).status()).as("their doctor still may").isEqualTo(201);
        assertThat(jdbc.queryForObject("select count(*) from transaction_view where patient_id = ?", Integer.class,
                patient)).as("nothing stored for the refused one").isEqualTo(2 + PaymentError.MAX_OPEN_CHECKOUTS + 1);

        // One of theirs paid: room for another.
        assertThat(press(own.get(0).path("checkoutUrl").asText(), "pay").statusCode()).isEqualTo(303);
        UUID paid = idOf(own.get(0));
        await().atMost(Duration.ofSeconds(20)).until(() -> alice.get("/api/transactions/" + paid).text("status"),
                "PAID"::equals);
        assertThat(self.post("/api/checkouts", ownCheckout(), Map.of("Idempotency-Key", "own-11")).status())
                .isEqualTo(201);
    }

    /**
     * Requests sent together: the read side learns of each checkout only after it commits, so without the patient's lock
     * and the checkouts started meanwhile, each of these would count none of the others.
     */
    @Test
    void shouldHoldAPatientsParallelCheckoutsToTheCapToo() throws Exception {
        UUID patient = UUID.randomUUID();
        Api self = Api.withToken(port, TOKENS.ofPatient(patient, "new.patient." + patient));
        int requests = 2 * PaymentError.MAX_OPEN_CHECKOUTS;
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(requests);
        try {
            List<Future<Api.Response>> answers = new ArrayList<>();
            for (int i = 0; i < requests; i++) {
                Map<String, String> key = Map.of("Idempotency-Key", "parallel-" + i);
                Callable<Api.Response> call = () -> {
                    start.await();
                    return self.post("/api/checkouts", ownCheckout(), key);
                };
                answers.add(pool.submit(call));
            }
            start.countDown();
            Map<String, Integer> outcomes = new TreeMap<>();
            for (Future<Api.Response> answer : answers) {
                Api.Response response = answer.get();
                String outcome = switch (response.status()) {
                    case 201, 202 -> "made";
                    case 409 -> response.text("code");
                    default -> response.status() + " " + response.body();
                };
                outcomes.merge(outcome, 1, Integer::sum);
            }

            assertThat(outcomes).isEqualTo(Map.of("made", PaymentError.MAX_OPEN_CHECKOUTS,
                    "too-many-open-checkouts", requests - PaymentError.MAX_OPEN_CHECKOUTS));
            // A 202 is made too, its row on its way to the read side.
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(jdbc.queryForObject(
                    "select count(*) from transaction_view where patient_id = ?", Integer.class, patient))
                    .isEqualTo(PaymentError.MAX_OPEN_CHECKOUTS));
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * A checkout Stripe did not open stays initiated, and nothing ends it: it waits, and counts, only as long as a
     * checkout lives (31 minutes).
     */
    @Test
    void shouldCountACheckoutStripeDidNotOpenOnlyForAsLongAsACheckoutLives() {
        UUID patient = UUID.randomUUID();
        Api self = Api.withToken(port, TOKENS.ofPatient(patient, "new.patient." + patient));
        // Rows of the view only, with no events behind them: taken out again, or a replay of the view would miss them.
        List<UUID> stuck = new ArrayList<>();
        try {
            for (int i = 0; i < PaymentError.MAX_OPEN_CHECKOUTS; i++) {
                stuck.add(UUID.randomUUID());
                jdbc.update("""
                        insert into transaction_view (transaction_id, facility_id, patient_id, patient_name, patient_email,
                            status, currency, total_amount, created_at, updated_at, version, started_by_patient)
                        values (?, ?, ?, 'sealed', 'sealed', 'INITIATED', 'GBP', 4500, now() - interval '32 minutes',
                            now() - interval '32 minutes', 0, true)""", stuck.get(i), DemoUsers.RIVERSIDE, patient);
            }

            assertThat(self.post("/api/checkouts", ownCheckout()).status()).as("ten stuck for over 31 minutes")
                    .isEqualTo(201);

            jdbc.update("update transaction_view set created_at = now() - interval '30 minutes' where patient_id = ?"
                    + " and status = 'INITIATED'", patient);
            assertThat(self.post("/api/checkouts", ownCheckout()).text("code")).as("ten initiated within 31 minutes")
                    .isEqualTo("too-many-open-checkouts");
        } finally {
            stuck.forEach(id -> jdbc.update("delete from transaction_view where transaction_id = ?", id));
        }
    }

    /** At Riverside, the patient's identity from their token. */
    private static Map<String, Object> ownCheckout() {
        Map<String, Object> body = checkout(DemoUsers.RIVERSIDE, null, List.of(item(CONSULTATION_GBP, 1)));
        body.remove("patientId");
        body.remove("patientName");
        body.remove("patientEmail");
        return body;
    }
}
