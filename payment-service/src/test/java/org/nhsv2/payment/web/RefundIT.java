package org.nhsv2.payment.web;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.nhsv2.payment.PaymentIntegrationTest;
import org.nhsv2.platform.testing.Api;
import org.nhsv2.platform.testing.DemoUsers;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/** Refunds over HTTP, with the sandbox as Stripe: who may refund, how much, and never more than was paid. */
class RefundIT extends PaymentIntegrationTest {

    private static final long TOTAL = 7000;

    @Test
    void shouldRefundInPartThenInFullThroughStripesWebhook() {
        UUID id = paid();
        Api alice = as(DemoUsers.ALICE);

        Api.Response part = alice.post("/api/transactions/" + id + "/refunds", Map.of("amount", 2500, "reason", "One pack returned"));
        assertThat(part.status()).as(part.body().toString()).isEqualTo(201);
        assertThat(part.header("Refund-Id")).isPresent();
        JsonNode partly = awaitStatus(id, "PARTIALLY_REFUNDED");
        assertThat(partly.path("refundedAmount").asLong()).isEqualTo(2500);
        assertThat(partly.path("refunds").get(0).path("reason").asText()).isEqualTo("One pack returned");
        assertThat(partly.path("refunds").get(0).path("status").asText()).isEqualTo("SUCCEEDED");

        Api.Response rest = as(DemoUsers.ADMIN).post("/api/transactions/" + id + "/refunds",
                Map.of("amount", TOTAL - 2500, "reason", "Consultation cancelled"));
        assertThat(rest.status()).isEqualTo(201);
        assertThat(awaitStatus(id, "REFUNDED").path("refundedAmount").asLong()).isEqualTo(TOTAL);
        Api.Response more = alice.post("/api/transactions/" + id + "/refunds", Map.of("amount", 1, "reason", "Again"));
        assertThat(more.status()).isEqualTo(409);
        assertThat(more.text("code")).isEqualTo("transaction-not-refundable");
    }

    @Test
    void shouldLetOnlyOneOfTwoParallelRefundsOfSixtyPercentThrough() throws Exception {
        UUID id = paid();
        Api alice = as(DemoUsers.ALICE);
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Future<Api.Response>> answers = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                Callable<Api.Response> refund = () -> {
                    start.await();
                    return alice.post("/api/transactions/" + id + "/refunds", Map.of("amount", TOTAL * 6 / 10,
                            "reason", "Sixty percent"));
                };
                answers.add(pool.submit(refund));
            }
            start.countDown();
            List<Integer> statuses = new ArrayList<>();
            for (Future<Api.Response> answer : answers) {
                Api.Response response = answer.get();
                statuses.add(response.status());
                if (response.status() == 422) {
                    assertThat(response.text("code")).isEqualTo("refund-exceeds-remainder");
                }
            }
            assertThat(statuses).containsExactlyInAnyOrder(201, 422);
        } finally {
            pool.shutdownNow();
        }
        JsonNode view = awaitStatus(id, "PARTIALLY_REFUNDED");
        assertThat(view.path("refundedAmount").asLong()).isEqualTo(TOTAL * 6 / 10);
        assertThat(jdbc.queryForObject("select coalesce(sum(amount), 0) from sandbox_refund where transaction_id = ?",
                Long.class, id)).isEqualTo(TOTAL * 6 / 10);
    }

    @Test
    void shouldRefuseMoreThanTheRemainderAndRefundsBeforePayment() {
        UUID open = idOf(openCheckout());
        Api alice = as(DemoUsers.ALICE);
        Api.Response unpaid = alice.post("/api/transactions/" + open + "/refunds", Map.of("amount", 100, "reason", "x"));
        assertThat(unpaid.status()).isEqualTo(409);

        UUID id = paid();
        Api.Response tooMuch = alice.post("/api/transactions/" + id + "/refunds", Map.of("amount", TOTAL + 1, "reason", "x"));
        assertThat(tooMuch.status()).isEqualTo(422);
        assertThat(tooMuch.text("code")).isEqualTo("refund-exceeds-remainder");
        assertThat(alice.post("/api/transactions/" + id + "/refunds", Map.of("amount", 0, "reason", "x")).status())
                .isEqualTo(400);
        assertThat(alice.post("/api/transactions/" + id + "/refunds", Map.of("amount", 10)).status()).isEqualTo(400);
        assertThat(alice.post("/api/transactions/" + UUID.randomUUID() + "/refunds", Map.of("amount", 10, "reason", "x"))
                .status()).isEqualTo(404);
    }

    @Test
    void shouldRefuseTheFiftyFirstRefundOfATransaction() {
        UUID id = paid();
        Api alice = as(DemoUsers.ALICE);
        List<Integer> statuses = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            statuses.add(alice.post("/api/transactions/" + id + "/refunds", Map.of("amount", 1, "reason", "Penny " + i))
                    .status());
        }

        Api.Response fiftyFirst = alice.post("/api/transactions/" + id + "/refunds", Map.of("amount", 1, "reason", "One more"));

        assertThat(statuses).containsOnly(201).hasSize(50);
        assertThat(fiftyFirst.status()).isEqualTo(422);
        assertThat(fiftyFirst.text("code")).isEqualTo("too-many-refunds");
        assertThat(alice.get("/api/transactions/" + id).body().path("refunds")).hasSize(50);
    }

    @Test
    void shouldMakeTheSameRefundForTheSameIdempotencyKey() {
        UUID id = paid();
        Api alice = as(DemoUsers.ALICE);
        Map<String, String> key = Map.of("Idempotency-Key", UUID.randomUUID().toString());

        Api.Response first = alice.post("/api/transactions/" + id + "/refunds", Map.of("amount", 1000, "reason", "Once"), key);
        Api.Response again = alice.post("/api/transactions/" + id + "/refunds", Map.of("amount", 1000, "reason", "Once"), key);
        Api.Response other = alice.post("/api/transactions/" + id + "/refunds", Map.of("amount", 2000, "reason", "Once"), key);

        assertThat(first.status()).isEqualTo(201);
        assertThat(again.header("Refund-Id")).isEqualTo(first.header("Refund-Id"));
        assertThat(other.status()).isEqualTo(409);
        assertThat(awaitStatus(id, "PARTIALLY_REFUNDED").path("refunds")).hasSize(1);
        assertThat(jdbc.queryForObject("select count(*) from sandbox_refund where transaction_id = ?", Integer.class, id))
                .isEqualTo(1);
    }

    @Test
    void shouldLetOnlyTheFacilitysDoctorsAndAdminsRefund() {
        UUID id = paid();
        Api.Response patient = as(DemoUsers.PAT_ONE).post("/api/transactions/" + id + "/refunds",
                Map.of("amount", 100, "reason", "Myself"));
        Api.Response otherDoctor = as(DemoUsers.BOB).post("/api/transactions/" + id + "/refunds",
                Map.of("amount", 100, "reason", "Not mine"));
        Api.Response anonymous = Api.anonymous(port).post("/api/transactions/" + id + "/refunds",
                Map.of("amount", 100, "reason", "Anyone"));

        assertThat(patient.status()).isEqualTo(403);
        assertThat(otherDoctor.status()).isEqualTo(403);
        assertThat(otherDoctor.text("code")).isEqualTo("facility-forbidden");
        assertThat(anonymous.status()).isEqualTo(401);
        assertThat(as(DemoUsers.ALICE).get("/api/transactions/" + id).body().path("refunds")).isEmpty();
    }

    /** A checkout paid on the sandbox page. */
    private UUID paid() {
        JsonNode transaction = openCheckout();
        UUID id = idOf(transaction);
        assertThat(press(transaction.path("checkoutUrl").asText(), "pay").statusCode()).isEqualTo(303);
        awaitStatus(id, "PAID");
        return id;
    }
}
