package org.nhsv2.payment.web;

import com.fasterxml.jackson.databind.JsonNode;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.spring.JqwikSpringSupport;
import org.nhsv2.payment.PaymentIntegrationTest;
import org.nhsv2.platform.testing.Api;
import org.nhsv2.platform.testing.ApiFuzz;
import org.nhsv2.platform.testing.ApiFuzz.Endpoint;
import org.nhsv2.platform.testing.ApiFuzz.Sent;
import org.nhsv2.platform.testing.DemoUsers;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.nhsv2.platform.testing.ApiFuzz.mostly;
import static org.nhsv2.platform.testing.ApiFuzz.objects;
import static org.nhsv2.platform.testing.ApiFuzz.quote;

/**
 * Random and extreme values in every endpoint's path, query, headers and body (see {@link ApiFuzz}): never a 5xx, every
 * refusal a problem document that changes no store, every 2xx one the endpoint's rules allow. Checkouts are for random
 * patients at Riverside; refunds go to one paid transaction of the fuzz's own; product changes to a product of its
 * own, so the catalogue other tests rely on stays as it is.
 */
@JqwikSpringSupport
class ApiFuzzIT extends PaymentIntegrationTest {

    private static final Set<String> CURRENCIES = Set.of("GBP", "EUR", "USD");
    /**
     * What a request may change: rows of the stores, and the events of aggregates made since the fuzz began (others'
     * transactions may still be reconciled in the background, which is not the fuzz's doing).
     */
    private static final String STORES = """
            select (select count(*) from domain_event_entry e where e.global_index > ? and not exists (select 1
                    from domain_event_entry o where o.aggregate_identifier = e.aggregate_identifier and o.global_index <= ?))
                || '/' || (select count(*) from transaction_view) || '/' || (select count(*) from transaction_refund)
                || '/' || (select count(*) from product) || '/' || (select count(*) from idempotency_key)
                || '/' || (select count(*) from patient_data_key) || '/' || (select count(*) from sandbox_checkout_session)""";

    private static final String PAID = "fixture-paid-transaction";
    private static final String PRODUCT = "fixture-product";
    private static long firstIndex = -1;
    private static UUID paid;
    private static int servicePort;
    private static ApiFuzz fuzz;

    /** Once, on the first try: jqwik-spring injects the port and the database around each try. */
    private void prepare() {
        if (paid != null) {
            return;
        }
        servicePort = port;
        firstIndex = jdbc.queryForObject("select coalesce(max(global_index), 0) from domain_event_entry", Long.class);
        Api.Response created = as(DemoUsers.ADMIN).post("/api/products", Map.of("name", "Fuzzed product",
                "unitAmount", 500, "currency", "GBP"));
        assertThat(created.status()).as(created.body().toString()).isEqualTo(201);
        fuzz().fixture(PRODUCT, created.text("productId"));
        paid = paidCheckout();
        fuzz().fixture(PAID, paid);
    }

    private static ApiFuzz fuzz() {
        if (fuzz == null) {
            fuzz = new ApiFuzz("payment-service", endpoints());
        }
        return fuzz;
    }

    @Example
    void shouldCoverEveryRouteTheServiceMaps() {
        fuzz().assertCovers(context);
    }

    @Property(tries = 200)
    void shouldAnswerEveryEndpointWithinItsRules(@ForAll("requests") Sent request) {
        prepare();
        fuzz().send(port, request, () -> jdbc.queryForObject(STORES, String.class, firstIndex, firstIndex));
    }

    @Provide
    Arbitrary<Sent> requests() {
        return fuzz().requests();
    }

    @AfterContainer
    static void figures() {
        if (fuzz != null) {
            fuzz.printFigures();
        }
    }

    private static List<Endpoint> endpoints() {
        String alice = Api.tokenOf(DemoUsers.ALICE);
        String admin = Api.tokenOf(DemoUsers.ADMIN);
        String patient = Api.tokenOf(DemoUsers.PAT_ONE);
        Arbitrary<String> transactions = Arbitraries.frequencyOf(Tuple.of(2, Arbitraries.just(PAID)),
                Tuple.of(1, ApiFuzz.pathValues()));
        Arbitrary<String> products = Arbitraries.oneOf(Arbitraries.of(CONSULTATION_GBP.toString(), DISCONTINUED_GBP.toString()),
                ApiFuzz.pathValues());
        Arbitrary<String> sessions = Arbitraries.oneOf(Arbitraries.strings().alpha().ofMaxLength(40).map(id -> "cs_test_" + id),
                ApiFuzz.pathValues());
        return List.of(
                Endpoint.of("POST /api/checkouts", () -> alice).bodies(checkouts()).allowing(ApiFuzzIT::allowedCheckout),
                Endpoint.of("GET /api/transactions/{transactionId}", () -> alice).paths(transactions),
                Endpoint.of("GET /api/transactions/{transactionId}/history", () -> alice).paths(transactions),
                Endpoint.of("POST /api/transactions/{transactionId}/refunds", () -> alice).paths(transactions)
                        .bodies(objects(List.of("amount", "reason"), field -> mostly(field.equals("amount")
                                ? Arbitraries.of("1", "100", "7000", "7001", "0", "-1", "100.5", "\"100\"", "null")
                                : texts())))
                        .allowing(ApiFuzzIT::allowedRefund),
                Endpoint.of("GET /api/products", () -> alice).parameters("includeInactive"),
                Endpoint.of("GET /api/products/{productId}", () -> alice).paths(products),
                Endpoint.of("POST /api/products", () -> admin).bodies(productBodies(List.of("name", "unitAmount", "currency",
                        "active"))).allowing(ApiFuzzIT::allowedProduct),
                Endpoint.of("PATCH /api/products/{productId}", () -> admin)
                        .paths(Arbitraries.oneOf(Arbitraries.just(PRODUCT), ApiFuzz.pathValues()))
                        .bodies(productBodies(List.of("name", "unitAmount", "active", "currency", "reason")))
                        .allowing(ApiFuzzIT::allowedProduct),
                Endpoint.of("GET /api/facilities/{facilityId}/transactions", () -> alice)
                        .paths(Arbitraries.oneOf(Arbitraries.just(DemoUsers.RIVERSIDE.toString()), ApiFuzz.pathValues()))
                        .parameters("status", "page", "size")
                        .parameterValues(name -> Arbitraries.oneOf(ApiFuzz.parameterValues(),
                                Arbitraries.of("PAID", "paid", "OPEN", "REFUNDED", "1", "50", "200", "201"))),
                Endpoint.of("GET /api/patients/me/transactions", () -> patient).parameters("page", "size"),
                ApiFuzz.erasure(() -> admin),
                Endpoint.of("POST /api/stripe/webhook", () -> null)
                        .header("Stripe-Signature", Arbitraries.oneOf(ApiFuzz.headerValues(),
                                Arbitraries.longs().map(t -> "t=" + t + ",v1=" + "ab".repeat(32))))
                        .bodies(objects(List.of("id", "type", "data", "created"), field -> ApiFuzz.jsonValue())),
                Endpoint.of("GET /sandbox/checkout/{sessionId}", () -> null).paths(sessions).parameters("declined").page(),
                Endpoint.of("POST /sandbox/checkout/{sessionId}/pay", () -> null).paths(sessions).page(),
                Endpoint.of("POST /sandbox/checkout/{sessionId}/decline", () -> null).paths(sessions).page(),
                Endpoint.of("POST /sandbox/checkout/{sessionId}/expire", () -> null).paths(sessions).page(),
                Endpoint.of("GET /v3/api-docs", () -> null),
                Endpoint.of("GET /v3/api-docs.yaml", () -> null),
                Endpoint.of("GET /v3/api-docs/swagger-config", () -> null),
                Endpoint.of("GET /swagger-ui.html", () -> null),
                Endpoint.of("GET /error", () -> alice));
    }

    private static Arbitrary<String> checkouts() {
        Arbitrary<String> item = objects(List.of("productId", "quantity"), field -> mostly(field.equals("productId")
                ? Arbitraries.of(CONSULTATION_GBP, AMOXICILLIN_GBP, CONSULTATION_EUR, DISCONTINUED_GBP, UUID.randomUUID())
                        .map(id -> quote(id.toString()))
                : Arbitraries.of("1", "2", "100", "101", "0", "-1", "1.5", "\"2\"", "99999999999")));
        Arbitrary<String> items = Arbitraries.oneOf(item.list().ofMaxSize(22).map(list -> "[" + String.join(",", list) + "]"),
                Arbitraries.just("[{\"productId\":\"" + CONSULTATION_GBP + "\",\"quantity\":1,\"unitAmount\":1}]"));
        return objects(List.of("facilityId", "patientId", "patientName", "patientEmail", "items", "appointmentId", "amount",
                "currency"), field -> switch (field) {
                    case "facilityId" -> mostly(Arbitraries.of(DemoUsers.RIVERSIDE, DemoUsers.NORTHGATE, UUID.randomUUID())
                            .map(id -> quote(id.toString())));
                    case "patientId", "appointmentId" -> mostly(Arbitraries.create(() -> quote(UUID.randomUUID().toString())));
                    case "items" -> mostly(items);
                    case "amount" -> ApiFuzz.numbers();
                    case "currency" -> Arbitraries.of(quote("GBP"), quote("XXX"));
                    default -> texts();
                });
    }

    private static Arbitrary<String> productBodies(List<String> fields) {
        return objects(fields, field -> mostly(switch (field) {
            case "unitAmount" -> Arbitraries.oneOf(ApiFuzz.numbers(), Arbitraries.of("1", "100000000", "100000001"));
            case "currency" -> Arbitraries.of("GBP", "EUR", "USD", "gbp", "XXX", "").map(ApiFuzz::quote);
            case "active" -> Arbitraries.of("true", "false", "\"yes\"", "1");
            default -> texts();
        }));
    }

    private static Arbitrary<String> texts() {
        return Arbitraries.oneOf(Arbitraries.of("Pat One", "pat@example.test", "Refund", "\u2003\u2003", "A\u200bda",
                "\u202eevil", "x".repeat(501), "y".repeat(70_000)).map(ApiFuzz::quote), ApiFuzz.jsonStrings());
    }

    /** A checkout at alice's facility, of active catalogue products, 1..20 items of 1..100 each, in one currency. */
    private static boolean allowedCheckout(Sent sent, HttpResponse<String> answer) {
        JsonNode request = sent.json();
        if (!DemoUsers.RIVERSIDE.toString().equals(request.path("facilityId").asText()) || request.has("amount")
                || request.has("currency")) {
            return false;
        }
        JsonNode items = request.path("items");
        if (!items.isArray() || items.isEmpty() || items.size() > 20) {
            return false;
        }
        for (JsonNode item : items) {
            int quantity = item.path("quantity").isIntegralNumber() ? item.path("quantity").asInt() : -1;
            String id = item.path("productId").asText();
            if (quantity < 1 || quantity > 100 || item.size() != 2 || id.equals(DISCONTINUED_GBP.toString())
                    || !(id.equals(CONSULTATION_GBP.toString()) || id.equals(AMOXICILLIN_GBP.toString())
                    || id.equals(CONSULTATION_EUR.toString()))) {
                return false;
            }
        }
        if (answer.statusCode() != 201) {
            return answer.statusCode() == 202;
        }
        JsonNode transaction = ApiFuzz.json(answer.body());
        return CURRENCIES.contains(transaction.path("currency").asText())
                && transaction.path("totalAmount").asLong() > 0 && !transaction.path("checkoutUrl").asText().isBlank();
    }

    /** At most what is left of the paid transaction; waits until it settles, so that it changes nothing afterwards. */
    private static boolean allowedRefund(Sent sent, HttpResponse<String> answer) {
        JsonNode request = sent.json();
        long amount = request.path("amount").isIntegralNumber() ? request.path("amount").asLong() : -1;
        if (!sent.path().startsWith("/api/transactions/" + paid) || amount < 1 || amount > 7000) {
            return false;
        }
        Api alice = Api.withToken(servicePort, Api.tokenOf(DemoUsers.ALICE));
        await().atMost(Duration.ofSeconds(20)).until(() -> alice.get("/api/transactions/" + paid).body().path("refunds"),
                refunds -> refunds.findValues("status").stream().noneMatch(status -> status.asText().equals("REQUESTED")));
        return true;
    }

    private static boolean allowedProduct(Sent sent, HttpResponse<String> answer) {
        JsonNode product = ApiFuzz.json(answer.body());
        long unitAmount = product.path("unitAmount").asLong();
        return unitAmount >= 1 && unitAmount <= 100_000_000 && CURRENCIES.contains(product.path("currency").asText())
                && !product.path("name").asText().isBlank() && product.path("name").asText().length() <= 200
                && (!sent.json().has("currency") || sent.endpoint().route().startsWith("POST"))
                && (sent.endpoint().route().startsWith("POST") || explained(sent.json().path("reason")));
    }

    /** A product is changed only with a reason: text, not blank, at most 500 characters. */
    private static boolean explained(JsonNode reason) {
        return reason.isTextual() && !reason.asText().isBlank() && reason.asText().length() <= 500;
    }
}
