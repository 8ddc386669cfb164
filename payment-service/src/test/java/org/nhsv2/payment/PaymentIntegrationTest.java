package org.nhsv2.payment;

import com.fasterxml.jackson.databind.JsonNode;
import com.stripe.net.Webhook;
import org.nhsv2.contracts.EmailTemplate;
import org.nhsv2.payment.stripe.StripeSettings;
import org.nhsv2.platform.testing.Api;
import org.nhsv2.platform.testing.DemoUsers;
import org.nhsv2.platform.testing.ServiceIntegrationTest;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Base of the {@code *IT} classes: the whole service on a random port against the real PostgreSQL,
 * Keycloak and RabbitMQ that {@code script/test} provides (RabbitMQ through a {@link BrokerLink}), with the
 * Stripe sandbox (no Stripe key), whose events reach the real webhook endpoint signed with the local
 * webhook secret.
 */
@TestPropertySource(properties = "db-scheduler.polling-interval=1s")
public abstract class PaymentIntegrationTest extends ServiceIntegrationTest {

    /** The local profile's fake webhook secret (application-local.yml). */
    public static final String WEBHOOK_SECRET = "whsec_fake_local_webhook_secret_000000000";
    public static final UUID CONSULTATION_GBP = UUID.fromString("a1000000-0000-4000-8000-000000000001");
    public static final UUID AMOXICILLIN_GBP = UUID.fromString("a1000000-0000-4000-8000-000000000003");
    public static final UUID CONSULTATION_EUR = UUID.fromString("a1000000-0000-4000-8000-000000000007");
    public static final UUID DISCONTINUED_GBP = UUID.fromString("a1000000-0000-4000-8000-000000000009");
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Autowired
    private StripeSettings stripeSettings;

    @Override
    protected String projection() {
        return "transaction-view";
    }

    @DynamicPropertySource
    static void servers(DynamicPropertyRegistry registry) {
        registry.add("spring.rabbitmq.virtual-host", () -> TestBroker.VHOST);
        // Through a link a test can cut (the broker unreachable), in every context of the run alike.
        registry.add("spring.rabbitmq.host", () -> "127.0.0.1");
        registry.add("spring.rabbitmq.port", BrokerLink::port);
        registry.add("spring.datasource.url", () -> System.getenv().getOrDefault("NHSV2_PAYMENT_TEST_DB_URL",
                "jdbc:postgresql://127.0.0.1:5432/nhsv2_payment_test"));
    }

    /** Two packs of amoxicillin and a consultation (GBP 70.00) for pat.one at Riverside. */
    protected static Map<String, Object> checkout() {
        return checkout(DemoUsers.RIVERSIDE, DemoUsers.PAT_ONE_ID, List.of(item(AMOXICILLIN_GBP, 2), item(CONSULTATION_GBP, 1)));
    }

    protected static Map<String, Object> checkout(UUID facilityId, UUID patientId, List<Map<String, Object>> items) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("facilityId", facilityId);
        body.put("patientId", patientId);
        body.put("patientName", "Pat One");
        body.put("patientEmail", "pat.one@example.test");
        body.put("items", items);
        return body;
    }

    protected static Map<String, Object> item(UUID productId, int quantity) {
        Map<String, Object> item = new LinkedHashMap<>();
        item.put("productId", productId);
        item.put("quantity", quantity);
        return item;
    }

    /** alice.doctor opens the default checkout; returns the transaction as the answer shows it. */
    protected JsonNode openCheckout() {
        Api.Response response = as(DemoUsers.ALICE).post("/api/checkouts", checkout(),
                Map.of("Idempotency-Key", UUID.randomUUID().toString()));
        assertThat(response.status()).as(response.body().toString()).isEqualTo(201);
        return response.body();
    }

    protected static UUID idOf(JsonNode transaction) {
        return UUID.fromString(transaction.path("transactionId").asText());
    }

    protected String sessionOf(UUID transactionId) {
        return jdbc.queryForObject("select checkout_session_id from transaction_view where transaction_id = ?",
                String.class, transactionId);
    }

    /** The transaction as alice.doctor (of Riverside) reads it, once {@code status} shows. */
    protected JsonNode awaitStatus(UUID transactionId, String status) {
        Api alice = as(DemoUsers.ALICE);
        return await().atMost(Duration.ofSeconds(20)).until(() -> alice.get("/api/transactions/" + transactionId).body(),
                body -> status.equals(body.path("status").asText()));
    }

    /** The default checkout, paid on the sandbox page; returns the transaction's id. */
    protected UUID paidCheckout() {
        JsonNode transaction = openCheckout();
        UUID id = idOf(transaction);
        assertThat(press(transaction.path("checkoutUrl").asText(), "pay").statusCode()).isEqualTo(303);
        awaitStatus(id, "PAID");
        return id;
    }

    /**
     * The email requests of {@code template} the service published about the transaction, once there are
     * at least {@code count} (read from the broker: see {@link TestBroker}).
     */
    protected List<TestBroker.Published> awaitEmails(UUID transactionId, EmailTemplate template, int count) {
        return await().atMost(Duration.ofSeconds(30)).until(() -> emailsOf(transactionId, template),
                emails -> emails.size() >= count);
    }

    protected static List<TestBroker.Published> emailsOf(UUID transactionId, EmailTemplate template) {
        return TestBroker.get().emailsAbout(transactionId).stream()
                .filter(published -> published.email().template() == template).toList();
    }

    /** Presses a button of the sandbox checkout page, as the patient's browser does (no token). */
    protected HttpResponse<String> press(String checkoutUrl, String button) {
        String path = URI.create(checkoutUrl).getPath();
        return send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path + "/" + button))
                .POST(HttpRequest.BodyPublishers.noBody()).build());
    }

    /** Opens the link (only its path and query: the public base URL may name another host) on this instance. */
    protected HttpResponse<String> openPage(String checkoutUrl) {
        return openPage(checkoutUrl, "");
    }

    /** Opens the link sending that Accept header ("" for none). */
    protected HttpResponse<String> openPage(String checkoutUrl, String accept) {
        URI link = URI.create(checkoutUrl);
        String query = link.getRawQuery() == null ? "" : "?" + link.getRawQuery();
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + link.getRawPath() + query)).GET();
        if (!accept.isEmpty()) {
            request.header("Accept", accept);
        }
        return send(request.build());
    }

    /** Delivers a Stripe event to the webhook, signed as Stripe signs it at {@code signedAt} (epoch seconds). */
    protected HttpResponse<String> deliver(String payload, String secret, long signedAt) {
        try {
            return deliverWithSignature(payload, Webhook.Signature.generateSignatureHeader(payload, secret, signedAt));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Signed with the secret the service checks: the local fake one for the sandbox, another with a Stripe key. */
    protected HttpResponse<String> deliver(String payload) {
        return deliver(payload, stripeSettings.webhookSecret(), clock.instant().getEpochSecond());
    }

    protected HttpResponse<String> deliverWithSignature(String payload, String signature) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/api/stripe/webhook"))
                .header("Content-Type", "application/json; charset=utf-8")
                .POST(HttpRequest.BodyPublishers.ofString(payload));
        if (signature != null) {
            request.header("Stripe-Signature", signature);
        }
        return send(request.build());
    }

    private static HttpResponse<String> send(HttpRequest request) {
        try {
            return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
