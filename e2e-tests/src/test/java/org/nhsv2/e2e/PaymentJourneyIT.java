package org.nhsv2.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.nhsv2.platform.testing.Api;
import org.nhsv2.platform.testing.DemoUsers;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A payment as its users see it, through the gateway only: a doctor creates a checkout link for a
 * patient from the catalogue; the patient gets the link by email, opens it in a real browser and
 * presses Pay; the payment reads PAID and the receipt arrives; a partial refund leaves it
 * PARTIALLY_REFUNDED. Under script/server the checkout page is payment-service's Stripe sandbox,
 * reached through the gateway as Stripe's page would be.
 */
class PaymentJourneyIT {

    private static final String AMOXICILLIN = "a1000000-0000-4000-8000-000000000003";
    private static final String CONSULTATION = "a1000000-0000-4000-8000-000000000001";

    private final String patientEmail = "pat.one+e2e-" + UUID.randomUUID().toString().substring(0, 8) + "@example.test";
    private final Api alice = Platform.as(DemoUsers.ALICE);
    private final Api patient = Platform.as(DemoUsers.PAT_ONE);
    private final Mailbox mailbox = new Mailbox(patientEmail);

    @Test
    void aPatientPaysTheLinkInABrowserAndIsPartlyRefunded() throws Exception {
        // alice.doctor asks pat.one to pay for two packs of amoxicillin and a consultation
        Api.Response checkout = alice.post("/api/checkouts", Map.of(
                        "facilityId", DemoUsers.RIVERSIDE, "patientId", DemoUsers.PAT_ONE_ID,
                        "patientName", "Pat One", "patientEmail", patientEmail,
                        "items", List.of(Map.of("productId", AMOXICILLIN, "quantity", 2),
                                Map.of("productId", CONSULTATION, "quantity", 1))),
                Map.of("Idempotency-Key", UUID.randomUUID().toString()));
        assertThat(checkout.status()).as("checkout: %s", checkout.body()).isEqualTo(201);
        String transaction = checkout.text("transactionId");
        String link = checkout.text("checkoutUrl");
        assertThat(link).as("the patient's link goes through the front door").startsWith(Platform.GATEWAY.toString());

        // the link reaches pat.one by email
        assertThat(mailbox.awaitEmail("Your payment link").text()).contains(link);

        // pat.one opens it in a browser, sees the total and presses Pay
        String total;
        String landedOn;
        Path before;
        Path after;
        try (CheckoutBrowser browser = new CheckoutBrowser()) {
            total = browser.open(link);
            before = browser.screenshot("checkout-before-pay");
            landedOn = browser.pay();
            after = browser.screenshot("checkout-after-pay");
            assertThat(browser.currentUrl()).startsWith(Platform.GATEWAY.toString());
        }
        JsonNode opened = patient.get("/api/transactions/" + transaction).body();
        assertThat(total).as("the page's total is the transaction's")
                .isEqualTo(BigDecimal.valueOf(opened.path("totalAmount").asLong(), 2).toPlainString() + " " + opened.path("currency").asText());
        assertThat(landedOn).isEqualTo("Thank you");
        assertThat(Files.size(before)).as(before.toString()).isPositive();
        assertThat(Files.size(after)).as(after.toString()).isPositive();

        // Stripe's (the sandbox's) signed webhook settles it: PAID, and the receipt goes out
        await("the transaction is PAID").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(300))
                .until(() -> patient.get("/api/transactions/" + transaction).text("status").equals("PAID"));
        assertThat(mailbox.awaitEmail("Receipt for your payment").text()).contains(total.replace(" GBP", ""));

        // alice.doctor refunds one pack; the payment is then partly refunded and pat.one is told
        Api.Response refund = alice.post("/api/transactions/" + transaction + "/refunds",
                Map.of("amount", 1250, "reason", "One pack returned unopened"));
        assertThat(refund.status()).as("refund: %s", refund.body()).isIn(201, 202);
        await("the transaction is PARTIALLY_REFUNDED").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(300))
                .until(() -> alice.get("/api/transactions/" + transaction).text("status").equals("PARTIALLY_REFUNDED"));
        assertThat(alice.get("/api/transactions/" + transaction).body().path("refundedAmount").asLong()).isEqualTo(1250);
        mailbox.awaitEmail("Your refund of");
        System.out.printf("e2e: transaction %s of %s paid in Chromium, 12.50 refunded; screenshots %s, %s%n",
                transaction, total, before.toAbsolutePath(), after.toAbsolutePath());
    }
}
