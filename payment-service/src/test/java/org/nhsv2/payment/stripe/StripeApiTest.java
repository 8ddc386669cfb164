package org.nhsv2.payment.stripe;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import com.stripe.exception.ApiConnectionException;
import com.stripe.exception.ApiException;
import com.stripe.exception.AuthenticationException;
import com.stripe.exception.CardException;
import com.stripe.exception.IdempotencyException;
import com.stripe.exception.InvalidRequestException;
import com.stripe.exception.RateLimitException;
import com.stripe.exception.StripeException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.nhsv2.payment.api.LineItem;
import org.nhsv2.payment.api.StripeFact;
import org.nhsv2.payment.command.StripeCheckouts.OpenedSession;
import org.nhsv2.payment.command.StripeCheckouts.RefundRequest;
import org.nhsv2.payment.command.StripeCheckouts.RefundState;
import org.nhsv2.payment.command.StripeCheckouts.SessionRequest;
import org.nhsv2.payment.command.StripeCheckouts.SessionState;
import org.nhsv2.payment.command.StripeCheckouts.SubmittedRefund;
import org.nhsv2.payment.command.StripeFailure;

import java.io.IOException;
import java.net.ConnectException;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static java.util.Map.entry;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * The real stripe-java client against a local stand-in for Stripe's API: the exact requests it sends,
 * how Stripe's answers read, and which failures leave the outcome unknown.
 */
class StripeApiTest {

    private static final String SECRET_KEY = "sk_test_fake";
    private static final String SESSIONS = "/v1/checkout/sessions";
    private static final String REFUNDS = "/v1/refunds";
    private static final UUID TRANSACTION = UUID.fromString("7d6f3c1e-2b4a-4c8e-9f10-3a5b6c7d8e9f");
    private static final UUID REFUND = UUID.fromString("0b9e4f2a-6c1d-4e3b-8a7f-5d2c1b0a9e8d");
    private static final String IDEMPOTENCY_KEY = TRANSACTION.toString();
    private static final String SESSION_ID = "cs_test_a1Kx9QbL2mN3pR4sT5uV6wX7yZ8";
    private static final String CHECKOUT_URL = "https://checkout.stripe.com/c/pay/" + SESSION_ID + "#fidkdWxOYHwnPyd1blpxYHZxWjA0";
    private static final String PAYMENT_INTENT = "pi_3QxYzAbCdEfGhIjK1a2b3c4d";
    private static final Instant EXPIRES_AT = Instant.parse("2030-01-01T12:30:00Z");
    private static final String EMAIL = "ada.lovelace+nhs@example.org";
    private static final List<LineItem> ITEMS = List.of(
            new LineItem(UUID.fromString("11111111-2222-4333-8444-555555555555"), "GP consultation", 1250, 2, 2500),
            new LineItem(UUID.fromString("66666666-7777-4888-9999-000000000000"), "Blood test & report – 30 min", 899, 1, 899));

    @RegisterExtension
    static final WireMockExtension stripe = WireMockExtension.newInstance()
            .options(wireMockConfig().dynamicPort())
            .build();

    private StripeApi api;

    @BeforeEach
    void pointAtTheStandIn() {
        api = new StripeApi(settings(stripe.baseUrl(), Duration.ofSeconds(10), 0));
    }

    @Nested
    class OpenSession {

        @Test
        void shouldPostTheCheckoutSessionFormWithAmountsInMinorUnitsAndTheTransactionEverywhere() throws Exception {
            stripe.stubFor(post(SESSIONS).willReturn(okJson(session("open", "unpaid", null, 3399))));

            api.openSession(sessionRequest(EMAIL, "GBP"));

            String transaction = TRANSACTION.toString();
            assertThat(form(onlyRequest(SESSIONS))).containsExactlyInAnyOrderEntriesOf(Map.ofEntries(
                    entry("mode", "payment"),
                    entry("client_reference_id", transaction),
                    entry("customer_email", EMAIL),
                    entry("metadata[transaction_id]", transaction),
                    entry("payment_intent_data[metadata][transaction_id]", transaction),
                    entry("expires_at", "1893501000"),
                    entry("success_url", "http://localhost:8082/checkout/complete.html"),
                    entry("cancel_url", "http://localhost:8082/checkout/cancelled.html"),
                    entry("line_items[0][quantity]", "2"),
                    entry("line_items[0][price_data][currency]", "gbp"),
                    entry("line_items[0][price_data][unit_amount]", "1250"),
                    entry("line_items[0][price_data][product_data][name]", "GP consultation"),
                    entry("line_items[1][quantity]", "1"),
                    entry("line_items[1][price_data][currency]", "gbp"),
                    entry("line_items[1][price_data][unit_amount]", "899"),
                    entry("line_items[1][price_data][product_data][name]", "Blood test & report – 30 min")));
        }

        @Test
        void shouldSendTheKeyAsBearerAndTheCallersIdempotencyKeyOnAFormEncodedPost() throws Exception {
            stripe.stubFor(post(SESSIONS).willReturn(okJson(session("open", "unpaid", null, 3399))));

            api.openSession(sessionRequest(EMAIL, "GBP"));

            stripe.verify(1, postRequestedFor(urlEqualTo(SESSIONS))
                    .withHeader("Authorization", equalTo("Bearer " + SECRET_KEY))
                    .withHeader("Idempotency-Key", equalTo(IDEMPOTENCY_KEY))
                    .withHeader("Content-Type", containing("application/x-www-form-urlencoded"))
                    .withRequestBody(containing("line_items[0][price_data][currency]=gbp"))
                    .withRequestBody(containing("line_items[0][price_data][unit_amount]=1250"))
                    .withRequestBody(containing("customer_email=ada.lovelace%2Bnhs%40example.org")));
        }

        @Test
        void shouldLeaveTheEmailOutWhenItHasBeenErased() throws Exception {
            stripe.stubFor(post(SESSIONS).willReturn(okJson(session("open", "unpaid", null, 3399))));

            api.openSession(sessionRequest(null, "gbp"));

            Map<String, String> form = form(onlyRequest(SESSIONS));
            assertThat(form).doesNotContainKey("customer_email");
            assertThat(form).containsEntry("client_reference_id", TRANSACTION.toString());
        }

        @Test
        void shouldSendConfiguredReturnPagesVerbatimWithStripesSessionTemplate() throws Exception {
            api = new StripeApi(new StripeSettings(SECRET_KEY, "whsec_test_fake", URI.create(stripe.baseUrl()),
                    URI.create("http://localhost:8082"),
                    URI.create("https://pay.nhsv2.example/done?session=%7BCHECKOUT_SESSION_ID%7D"),
                    URI.create("https://pay.nhsv2.example/cancelled"),
                    Duration.ofSeconds(2), Duration.ofSeconds(10), 0, Duration.ofMinutes(5)));
            stripe.stubFor(post(SESSIONS).willReturn(okJson(session("open", "unpaid", null, 3399))));

            api.openSession(sessionRequest(EMAIL, "GBP"));

            assertThat(form(onlyRequest(SESSIONS)))
                    .containsEntry("success_url", "https://pay.nhsv2.example/done?session=%7BCHECKOUT_SESSION_ID%7D")
                    .containsEntry("cancel_url", "https://pay.nhsv2.example/cancelled");
        }

        @Test
        void shouldReturnTheSessionStripeOpened() throws Exception {
            stripe.stubFor(post(SESSIONS).willReturn(okJson(session("open", "unpaid", null, 3399))));

            OpenedSession opened = api.openSession(sessionRequest(EMAIL, "GBP"));

            assertThat(opened).isEqualTo(new OpenedSession(SESSION_ID, CHECKOUT_URL, EXPIRES_AT));
        }

        @Test
        void shouldRepeatTheSameIdempotencyKeyWhenStripeJavaRetriesByItself() throws Exception {
            api = new StripeApi(settings(stripe.baseUrl(), Duration.ofSeconds(10), 1));
            stripe.stubFor(post(SESSIONS).inScenario("retry").whenScenarioStateIs(Scenario.STARTED)
                    .willReturn(stripeError(503, "api_error", null, "An unknown error occurred"))
                    .willSetStateTo("recovered"));
            stripe.stubFor(post(SESSIONS).inScenario("retry").whenScenarioStateIs("recovered")
                    .willReturn(okJson(session("open", "unpaid", null, 3399))));

            OpenedSession opened = api.openSession(sessionRequest(EMAIL, "GBP"));

            assertThat(opened.sessionId()).isEqualTo(SESSION_ID);
            List<LoggedRequest> requests = stripe.findAll(postRequestedFor(urlEqualTo(SESSIONS)));
            assertThat(requests).hasSize(2);
            assertThat(requests).extracting(request -> request.getHeader("Idempotency-Key"))
                    .containsExactly(IDEMPOTENCY_KEY, IDEMPOTENCY_KEY);
            assertThat(requests).extracting(LoggedRequest::getBodyAsString).containsOnly(requests.get(0).getBodyAsString());
        }

        /**
         * The key's first use (an earlier try of this attempt, with another expiry) made a session whose answer was
         * lost: Stripe refuses the key with other parameters for as long as it keeps it, so the attempt is over.
         */
        @Test
        void shouldBeAFinalRefusalWhenStripeKnowsTheKeyWithOtherParameters() {
            stripe.stubFor(post(SESSIONS).willReturn(stripeError(400, "idempotency_error", null,
                    keyUsedWithOtherParameters(IDEMPOTENCY_KEY))));

            StripeFailure failure = catchThrowableOfType(StripeFailure.class,
                    () -> api.openSession(sessionRequest(EMAIL, "GBP")));

            assertThat(failure.outcomeUnknown()).as("a new attempt, under a new key, must follow").isFalse();
            assertThat(failure).hasMessage("Stripe failed creating the Checkout Session (HTTP 400)")
                    .hasCauseInstanceOf(IdempotencyException.class);
        }

        /**
         * Stripe keeps its own 5xx under the key and answers every repeat of the key with it for 24 hours: the attempt is
         * over, and the next one opens under a key of its own.
         */
        @ParameterizedTest
        @ValueSource(ints = {500, 503})
        void shouldEndTheAttemptWhenStripeAnswersWithAnErrorOfItsOwn(int status) {
            stripe.stubFor(post(SESSIONS).willReturn(stripeError(status, "api_error", null, "An unknown error occurred")));

            StripeFailure failure = catchThrowableOfType(StripeFailure.class,
                    () -> api.openSession(sessionRequest(EMAIL, "GBP")));

            assertThat(failure.outcomeUnknown()).as("a new attempt, under a new key, must follow").isFalse();
            assertThat(failure).hasMessage("Stripe failed creating the Checkout Session (HTTP " + status + ")");
        }

        /** Whatever type Stripe gives it, stripe-java reads a 409 as a plain ApiException, not an IdempotencyException. */
        @ParameterizedTest
        @ValueSource(strings = {"invalid_request_error", "idempotency_error"})
        void shouldLeaveTheOutcomeUnknownWhileARequestUnderTheSameKeyIsStillInFlight(String type) {
            stripe.stubFor(post(SESSIONS).willReturn(stripeError(409, type, "idempotency_key_in_use",
                    keyInUse(IDEMPOTENCY_KEY))));

            StripeFailure failure = catchThrowableOfType(StripeFailure.class,
                    () -> api.openSession(sessionRequest(EMAIL, "GBP")));

            assertThat(failure.outcomeUnknown()).as("the same key again, later").isTrue();
            assertThat(failure).hasMessage("Stripe failed creating the Checkout Session (HTTP 409): idempotency_key_in_use");
        }
    }

    @Nested
    class ReadSessionState {

        @Test
        void shouldGetTheSessionWithoutAnIdempotencyKey() throws Exception {
            stripe.stubFor(get(SESSIONS + "/" + SESSION_ID).willReturn(okJson(session("open", "unpaid", null, 3399))));

            api.sessionState(SESSION_ID);

            stripe.verify(1, getRequestedFor(urlEqualTo(SESSIONS + "/" + SESSION_ID))
                    .withHeader("Authorization", equalTo("Bearer " + SECRET_KEY))
                    .withHeader("Idempotency-Key", absent()));
        }

        @Test
        void shouldBePaidWhenTheSessionIsCompleteAndPaid() throws Exception {
            stripe.stubFor(get(SESSIONS + "/" + SESSION_ID)
                    .willReturn(okJson(session("complete", "paid", PAYMENT_INTENT, 3399))));

            SessionState state = api.sessionState(SESSION_ID);

            assertThat(state).isEqualTo(new SessionState(SESSION_ID, "complete", "paid", PAYMENT_INTENT, 3399, "gbp"));
            assertThat(state.isPaid()).isTrue();
            assertThat(state.isExpired()).isFalse();
        }

        @Test
        void shouldBeExpiredWhenStripeExpiredTheSession() throws Exception {
            stripe.stubFor(get(SESSIONS + "/" + SESSION_ID).willReturn(okJson(session("expired", "unpaid", null, 3399))));

            SessionState state = api.sessionState(SESSION_ID);

            assertThat(state).isEqualTo(new SessionState(SESSION_ID, "expired", "unpaid", null, 3399, "gbp"));
            assertThat(state.isExpired()).isTrue();
            assertThat(state.isPaid()).isFalse();
        }

        @Test
        void shouldBeNeitherWhileCompleteButTheAsynchronousPaymentIsUnpaid() throws Exception {
            stripe.stubFor(get(SESSIONS + "/" + SESSION_ID)
                    .willReturn(okJson(session("complete", "unpaid", PAYMENT_INTENT, 3399))));

            SessionState state = api.sessionState(SESSION_ID);

            assertThat(state.isPaid()).isFalse();
            assertThat(state.isExpired()).isFalse();
        }

        @Test
        void shouldReadNoAmountAsZero() throws Exception {
            stripe.stubFor(get(SESSIONS + "/" + SESSION_ID).willReturn(okJson(session("open", "unpaid", null, null))));

            assertThat(api.sessionState(SESSION_ID).amountTotal()).isZero();
        }

        @Test
        void shouldBeAKnownFailureWhenStripeHasNoSuchSession() {
            stripe.stubFor(get(SESSIONS + "/" + SESSION_ID).willReturn(stripeError(404, "invalid_request_error",
                    "resource_missing", "No such checkout.session: '" + SESSION_ID + "'")));

            StripeFailure failure = catchThrowableOfType(StripeFailure.class, () -> api.sessionState(SESSION_ID));

            assertThat(failure.outcomeUnknown()).isFalse();
            assertThat(failure).hasMessage("Stripe failed reading the Checkout Session (HTTP 404): resource_missing")
                    .hasCauseInstanceOf(InvalidRequestException.class);
        }

        @Test
        void shouldFailWithAnUnknownOutcomeWhenAGatewayAnswersWithAnEmptyBody() {
            stripe.stubFor(get(SESSIONS + "/" + SESSION_ID).willReturn(aResponse().withStatus(503)));

            StripeFailure failure = catchThrowableOfType(StripeFailure.class, () -> api.sessionState(SESSION_ID));

            assertThat(failure.outcomeUnknown()).isTrue();
            assertThat(failure).hasMessage("Stripe failed reading the Checkout Session (unreadable answer)");
        }
    }

    @Nested
    class PaymentIntentsTransaction {

        private static final String INTENTS = "/v1/payment_intents/" + PAYMENT_INTENT;

        @Test
        void shouldReadTheTransactionFromTheIntentsMetadata() throws Exception {
            stripe.stubFor(get(INTENTS).willReturn(okJson(paymentIntent("{\"transaction_id\": \"" + TRANSACTION + "\"}"))));

            assertThat(api.transactionOfPaymentIntent(PAYMENT_INTENT)).contains(TRANSACTION);
            stripe.verify(1, getRequestedFor(urlEqualTo(INTENTS))
                    .withHeader("Authorization", equalTo("Bearer " + SECRET_KEY)));
        }

        @ParameterizedTest
        @ValueSource(strings = {"{}", "{\"transaction_id\": \"order-17\"}"})
        void shouldFindNoneForAnIntentWithoutATransactionOfOurs(String metadata) throws Exception {
            stripe.stubFor(get(INTENTS).willReturn(okJson(paymentIntent(metadata))));

            assertThat(api.transactionOfPaymentIntent(PAYMENT_INTENT)).isEmpty();
        }

        @Test
        void shouldFindNoneForAnIntentStripeDoesNotKnow() throws Exception {
            stripe.stubFor(get(INTENTS).willReturn(stripeError(404, "invalid_request_error", "resource_missing",
                    "No such payment_intent: '" + PAYMENT_INTENT + "'")));

            assertThat(api.transactionOfPaymentIntent(PAYMENT_INTENT)).isEmpty();
        }

        @Test
        void shouldFailWhenStripeCannotAnswer() {
            stripe.stubFor(get(INTENTS).willReturn(stripeError(500, "api_error", null, "Something went wrong")));

            assertThat(catchThrowableOfType(StripeFailure.class, () -> api.transactionOfPaymentIntent(PAYMENT_INTENT)))
                    .hasMessage("Stripe failed reading the payment intent (HTTP 500)");
        }

        private static String paymentIntent(String metadata) {
            return """
                    {"id": "%s", "object": "payment_intent", "amount": 3399, "currency": "gbp", "status": "succeeded",
                     "metadata": %s}""".formatted(PAYMENT_INTENT, metadata);
        }
    }

    @Nested
    class Refund {

        @Test
        void shouldPostTheRefundOfThePaymentIntentUnderTheRequestsKey() throws Exception {
            stripe.stubFor(post(REFUNDS).willReturn(okJson(refund("pending"))));

            api.refund(refundRequest());

            stripe.verify(1, postRequestedFor(urlEqualTo(REFUNDS))
                    .withHeader("Authorization", equalTo("Bearer " + SECRET_KEY))
                    .withHeader("Idempotency-Key", equalTo("refund-" + REFUND))
                    .withHeader("Content-Type", containing("application/x-www-form-urlencoded")));
            assertThat(form(onlyRequest(REFUNDS))).containsExactlyInAnyOrderEntriesOf(Map.of(
                    "payment_intent", PAYMENT_INTENT,
                    "amount", "1250",
                    "reason", "requested_by_customer",
                    "metadata[transaction_id]", TRANSACTION.toString(),
                    "metadata[refund_id]", REFUND.toString()));
        }

        @ParameterizedTest
        @CsvSource({"pending", "succeeded", "failed"})
        void shouldReturnStripesRefundIdAndStatus(String status) throws Exception {
            stripe.stubFor(post(REFUNDS).willReturn(okJson(refund(status))));

            SubmittedRefund refund = api.refund(refundRequest());

            assertThat(refund).isEqualTo(new SubmittedRefund("re_3QxYzAbCdEfGhIjK0r1s2t3u", status));
        }

        @Test
        void shouldBeAKnownFailureWhenTheChargeIsAlreadyRefunded() {
            stripe.stubFor(post(REFUNDS).willReturn(stripeError(400, "invalid_request_error", "charge_already_refunded",
                    "Charge ch_3QxYzAbCdEfGhIjK1a2b3c4d has already been refunded.")));

            StripeFailure failure = catchThrowableOfType(StripeFailure.class, () -> api.refund(refundRequest()));

            assertThat(failure.outcomeUnknown()).isFalse();
            assertThat(failure).hasMessage("Stripe failed creating the refund (HTTP 400): charge_already_refunded");
        }

        /**
         * Stripe keeps its 5xx under the key and replays it for 24 hours; it may have made the refund all the same. The
         * key is spent: repeating it tells nothing, and once Stripe forgets it a repeat could refund a second time.
         */
        @ParameterizedTest
        @ValueSource(ints = {500, 503})
        void shouldSpendTheKeyWithTheOutcomeUnknownWhenStripeAnswersWithAnErrorOfItsOwn(int status) {
            stripe.stubFor(post(REFUNDS).willReturn(stripeError(status, "api_error", null, "An unknown error occurred")));

            StripeFailure failure = catchThrowableOfType(StripeFailure.class, () -> api.refund(refundRequest()));

            assertThat(failure.outcomeUnknown()).isTrue();
            assertThat(failure.keySpent()).isTrue();
            assertThat(failure).hasMessage("Stripe failed creating the refund (HTTP " + status + ")");
        }

        @Test
        void shouldRepeatTheKeyWhenNoAnswerCame() throws IOException {
            api = new StripeApi(settings("http://localhost:" + closedPort(), Duration.ofSeconds(10), 0));

            StripeFailure failure = catchThrowableOfType(StripeFailure.class, () -> api.refund(refundRequest()));

            assertThat(failure.outcomeUnknown()).isTrue();
            assertThat(failure.keySpent()).isFalse();
        }

        /** A gateway's page is not Stripe's answer: Stripe may not have kept anything under the key. */
        @Test
        void shouldRepeatTheKeyWhenAGatewayAnswersWithoutStripesErrorObject() {
            stripe.stubFor(post(REFUNDS).willReturn(aResponse().withStatus(502)
                    .withHeader("Content-Type", "text/html").withBody("<html><body>502 Bad Gateway</body></html>")));

            StripeFailure failure = catchThrowableOfType(StripeFailure.class, () -> api.refund(refundRequest()));

            assertThat(failure.outcomeUnknown()).isTrue();
            assertThat(failure.keySpent()).isFalse();
        }

        @Test
        void shouldLeaveTheOutcomeUnknownWhileTheSameRefundIsStillInFlight() {
            stripe.stubFor(post(REFUNDS).willReturn(stripeError(409, "idempotency_error", "idempotency_key_in_use",
                    keyInUse("refund-" + REFUND))));

            StripeFailure failure = catchThrowableOfType(StripeFailure.class, () -> api.refund(refundRequest()));

            assertThat(failure.outcomeUnknown()).isTrue();
            assertThat(failure.keySpent()).as("Stripe keeps nothing for a request still in flight").isFalse();
        }

        /**
         * Unlike a session's, a refund's request is the same on every try; a key Stripe knows with other parameters
         * may still be a refund Stripe made, so it is not taken as refused (and listed FAILED, refundable again), and
         * Stripe refuses the key for as long as it keeps it: it is spent.
         */
        @Test
        void shouldLeaveTheOutcomeUnknownWhenStripeKnowsTheKeyWithOtherParameters() {
            stripe.stubFor(post(REFUNDS).willReturn(stripeError(400, "idempotency_error", null,
                    keyUsedWithOtherParameters("refund-" + REFUND))));

            StripeFailure failure = catchThrowableOfType(StripeFailure.class, () -> api.refund(refundRequest()));

            assertThat(failure.outcomeUnknown()).isTrue();
            assertThat(failure.keySpent()).isTrue();
            assertThat(failure).hasCauseInstanceOf(IdempotencyException.class);
        }
    }

    /** After a spent key: whether Stripe made the refund all the same, found by the refund id in its metadata. */
    @Nested
    class FindRefund {

        private static final String OURS = "re_3QxYzAbCdEfGhIjK0r1s2t3u";
        private static final String LIST = REFUNDS + "?limit=100&payment_intent=" + PAYMENT_INTENT;

        @Test
        void shouldListThePaymentIntentsRefundsAndFindOursByItsRefundId() throws Exception {
            stripe.stubFor(get(urlPathEqualTo(REFUNDS)).willReturn(okJson(refundList(false,
                    listedRefund("re_dashboard", null), listedRefund(OURS, REFUND)))));

            Optional<RefundState> found = api.findRefund(PAYMENT_INTENT, REFUND);

            assertThat(found).contains(new RefundState(OURS, "succeeded", 1250, null, PAYMENT_INTENT));
            stripe.verify(1, getRequestedFor(urlPathEqualTo(REFUNDS))
                    .withQueryParam("payment_intent", equalTo(PAYMENT_INTENT))
                    .withQueryParam("limit", equalTo("100"))
                    .withHeader("Idempotency-Key", absent()));
        }

        @Test
        void shouldFindNoneWhenStripeHoldsNoRefundOfThisRefundId() throws Exception {
            stripe.stubFor(get(urlPathEqualTo(REFUNDS)).willReturn(okJson(refundList(false,
                    listedRefund("re_other", UUID.fromString("3c2b1a09-8f7e-4d6c-9b5a-4e3d2c1b0a9f"))))));

            assertThat(api.findRefund(PAYMENT_INTENT, REFUND)).isEmpty();
        }

        @Test
        void shouldPageOnUntilItFindsOurs() throws Exception {
            stripe.stubFor(get(urlEqualTo(LIST)).willReturn(okJson(refundList(true, listedRefund("re_first", null)))));
            stripe.stubFor(get(urlPathEqualTo(REFUNDS)).withQueryParam("starting_after", equalTo("re_first"))
                    .willReturn(okJson(refundList(false, listedRefund(OURS, REFUND)))));

            assertThat(api.findRefund(PAYMENT_INTENT, REFUND)).map(RefundState::stripeRefundId).contains(OURS);
        }

        @Test
        void shouldFailWithTheOutcomeUnknownWhenStripeCannotList() {
            stripe.stubFor(get(urlPathEqualTo(REFUNDS)).willReturn(stripeError(500, "api_error", null,
                    "An unknown error occurred")));

            StripeFailure failure = catchThrowableOfType(StripeFailure.class,
                    () -> api.findRefund(PAYMENT_INTENT, REFUND));

            assertThat(failure.outcomeUnknown()).isTrue();
            assertThat(failure).hasMessage("Stripe failed listing the payment's refunds (HTTP 500)");
        }

        private static String refundList(boolean hasMore, String... refunds) {
            return """
                    {"object": "list", "url": "/v1/refunds", "has_more": %s, "data": [%s]}"""
                    .formatted(hasMore, String.join(",", refunds));
        }

        /** A succeeded refund of the payment; {@code refundId} null: one made in Stripe's dashboard, without ours. */
        private static String listedRefund(String id, UUID refundId) {
            return """
                    {"id": "%s", "object": "refund", "amount": 1250, "currency": "gbp", "failure_reason": null,
                     "metadata": %s, "payment_intent": "%s", "status": "succeeded"}"""
                    .formatted(id, refundId == null ? "{}"
                            : "{\"refund_id\": \"" + refundId + "\", \"transaction_id\": \"" + TRANSACTION + "\"}",
                            PAYMENT_INTENT);
        }
    }

    @Nested
    class ReadRefundState {

        private static final String REFUND_ID = "re_3QxYzAbCdEfGhIjK0r1s2t3u";

        @Test
        void shouldGetTheRefundWithoutAnIdempotencyKey() throws Exception {
            stripe.stubFor(get(REFUNDS + "/" + REFUND_ID).willReturn(okJson(refund("pending"))));

            api.refundState(REFUND_ID);

            stripe.verify(1, getRequestedFor(urlEqualTo(REFUNDS + "/" + REFUND_ID))
                    .withHeader("Authorization", equalTo("Bearer " + SECRET_KEY))
                    .withHeader("Idempotency-Key", absent()));
        }

        @ParameterizedTest
        @ValueSource(strings = {"pending", "requires_action"})
        void shouldBeUnsettledWhileStripeHasNotFinishedTheRefund(String status) throws Exception {
            stripe.stubFor(get(REFUNDS + "/" + REFUND_ID).willReturn(okJson(refund(status))));

            RefundState state = api.refundState(REFUND_ID);

            assertThat(state).isEqualTo(new RefundState(REFUND_ID, status, 1250, null, PAYMENT_INTENT));
            assertThat(state.isSettled()).isFalse();
        }

        @Test
        void shouldSettleAsTheWebhookWouldWhenStripeSaysTheRefundSucceeded() throws Exception {
            stripe.stubFor(get(REFUNDS + "/" + REFUND_ID).willReturn(okJson(refund("succeeded"))));

            RefundState state = api.refundState(REFUND_ID);

            assertThat(state.isSettled()).isTrue();
            assertThat(state.settled(REFUND)).isEqualTo(new StripeFact.RefundSettled(REFUND_ID, REFUND, 1250, true, null,
                    PAYMENT_INTENT));
        }

        @Test
        void shouldSettleAsFailedWithStripesReasonWhenTheRefundFailed() throws Exception {
            stripe.stubFor(get(REFUNDS + "/" + REFUND_ID)
                    .willReturn(okJson(refund("failed", "expired_or_canceled_card"))));

            RefundState state = api.refundState(REFUND_ID);

            assertThat(state).isEqualTo(new RefundState(REFUND_ID, "failed", 1250, "expired_or_canceled_card",
                    PAYMENT_INTENT));
            assertThat(state.settled(REFUND)).isEqualTo(new StripeFact.RefundSettled(REFUND_ID, REFUND, 1250, false,
                    "Stripe: expired_or_canceled_card", PAYMENT_INTENT));
        }

        /** Cancelled without a failure reason (Stripe gives none): its status is the reason, as the webhook reads it. */
        @Test
        void shouldSettleAsFailedWithItsStatusWhenStripeCancelledTheRefund() throws Exception {
            stripe.stubFor(get(REFUNDS + "/" + REFUND_ID).willReturn(okJson(refund("canceled"))));

            RefundState state = api.refundState(REFUND_ID);

            assertThat(state.isSettled()).isTrue();
            assertThat(state.settled(REFUND).succeeded()).isFalse();
            assertThat(state.settled(REFUND).failureReason()).isEqualTo("Stripe: canceled");
        }

        @Test
        void shouldBeAKnownFailureWhenStripeHasNoSuchRefund() {
            stripe.stubFor(get(REFUNDS + "/" + REFUND_ID).willReturn(stripeError(404, "invalid_request_error",
                    "resource_missing", "No such refund: '" + REFUND_ID + "'")));

            StripeFailure failure = catchThrowableOfType(StripeFailure.class, () -> api.refundState(REFUND_ID));

            assertThat(failure.outcomeUnknown()).isFalse();
            assertThat(failure).hasMessage("Stripe failed reading the refund (HTTP 404): resource_missing")
                    .hasCauseInstanceOf(InvalidRequestException.class);
        }

        @Test
        void shouldFailWithAnUnknownOutcomeWhenAGatewayAnswersWithAnEmptyBody() {
            stripe.stubFor(get(REFUNDS + "/" + REFUND_ID).willReturn(aResponse().withStatus(503)));

            StripeFailure failure = catchThrowableOfType(StripeFailure.class, () -> api.refundState(REFUND_ID));

            assertThat(failure.outcomeUnknown()).isTrue();
            assertThat(failure).hasMessage("Stripe failed reading the refund (unreadable answer)");
        }
    }

    @Nested
    class Failures {

        /** Stripe's own 5xx ends the attempt: Stripe keeps it under the key, and answers each repeat with it. */
        @ParameterizedTest(name = "HTTP {0} {1}/{2}: the same key again {3}")
        @CsvSource({
                "400, invalid_request_error, parameter_invalid_integer, false",
                "402, card_error,            card_declined,             false",
                "404, invalid_request_error, resource_missing,          false",
                "409, idempotency_error,     idempotency_key_in_use,    true",
                "429, invalid_request_error, rate_limit,                true",
                "500, api_error,             ,                          false",
                "503, api_error,             ,                          false"})
        void shouldTellWhetherTheSameKeyIsTriedAgain(int status, String type, String code, boolean outcomeUnknown) {
            stripe.stubFor(post(SESSIONS).willReturn(stripeError(status, type, code, "Stripe says no (" + status + ")")));

            StripeFailure failure = catchThrowableOfType(StripeFailure.class,
                    () -> api.openSession(sessionRequest(EMAIL, "GBP")));

            assertThat(failure.outcomeUnknown()).isEqualTo(outcomeUnknown);
            assertThat(failure).hasMessage("Stripe failed creating the Checkout Session (HTTP " + status + ")"
                    + (code == null ? "" : ": " + code));
            assertThat(failure.getCause()).isInstanceOf(StripeException.class);
            assertThat(((StripeException) failure.getCause()).getStatusCode()).isEqualTo(status);
        }

        @Test
        void shouldKeepStripeJavasExceptionAsTheCause() {
            stripe.stubFor(post(SESSIONS).willReturn(stripeError(402, "card_error", "card_declined", "Your card was declined.")));

            StripeFailure failure = catchThrowableOfType(StripeFailure.class,
                    () -> api.openSession(sessionRequest(EMAIL, "GBP")));

            assertThat(failure).hasCauseInstanceOf(CardException.class);
        }

        @Test
        void shouldLeaveTheOutcomeUnknownWhenRateLimited() {
            stripe.stubFor(post(SESSIONS).willReturn(stripeError(429, "invalid_request_error", "lock_timeout",
                    "This object cannot be accessed right now because another API request or Stripe process is "
                            + "currently accessing it.")));

            StripeFailure failure = catchThrowableOfType(StripeFailure.class,
                    () -> api.openSession(sessionRequest(EMAIL, "GBP")));

            assertThat(failure.outcomeUnknown()).isTrue();
            assertThat(failure).hasCauseInstanceOf(RateLimitException.class);
        }

        @Test
        void shouldLeaveTheOutcomeUnknownWhenAGatewayAnswersWithoutStripesErrorBody() {
            stripe.stubFor(post(SESSIONS).willReturn(aResponse().withStatus(502)
                    .withHeader("Content-Type", "text/html").withBody("<html><body>502 Bad Gateway</body></html>")));

            StripeFailure failure = catchThrowableOfType(StripeFailure.class,
                    () -> api.openSession(sessionRequest(EMAIL, "GBP")));

            assertThat(failure.outcomeUnknown()).isTrue();
            assertThat(failure).hasMessage("Stripe failed creating the Checkout Session (HTTP 502)");
        }

        @Test
        void shouldLeaveTheOutcomeUnknownWhenAGatewayAnswersWithAnEmptyBody() {
            stripe.stubFor(post(SESSIONS).willReturn(aResponse().withStatus(503)));

            StripeFailure failure = catchThrowableOfType(StripeFailure.class,
                    () -> api.openSession(sessionRequest(EMAIL, "GBP")));

            assertThat(failure.outcomeUnknown()).isTrue();
            assertThat(failure).hasMessage("Stripe failed creating the Checkout Session (unreadable answer)");
        }

        @Test
        void shouldLeaveTheOutcomeUnknownWhenStripeSucceededButItsAnswerCannotBeRead() {
            stripe.stubFor(post(REFUNDS).willReturn(aResponse().withStatus(200)
                    .withHeader("Content-Type", "application/json").withBody("{\"id\": \"re_3QxYzAbCdEfGhIjK0r1s2t3u\", \"obj")));

            StripeFailure failure = catchThrowableOfType(StripeFailure.class, () -> api.refund(refundRequest()));

            assertThat(failure.outcomeUnknown()).isTrue();
            assertThat(failure).hasCauseInstanceOf(ApiException.class);
        }

        @Test
        void shouldLeaveTheOutcomeUnknownWhenStripeAnswersLaterThanTheReadTimeout() {
            api = new StripeApi(settings(stripe.baseUrl(), Duration.ofMillis(500), 0));
            stripe.stubFor(post(SESSIONS).willReturn(okJson(session("open", "unpaid", null, 3399)).withFixedDelay(3_000)));

            StripeFailure failure = catchThrowableOfType(StripeFailure.class,
                    () -> api.openSession(sessionRequest(EMAIL, "GBP")));

            assertThat(failure.outcomeUnknown()).isTrue();
            assertThat(failure).hasMessage("Stripe failed creating the Checkout Session (no answer)")
                    .hasCauseInstanceOf(ApiConnectionException.class)
                    .hasRootCauseInstanceOf(SocketTimeoutException.class);
        }

        @Test
        void shouldLeaveTheOutcomeUnknownWhenStripeCannotBeReached() throws IOException {
            api = new StripeApi(settings("http://localhost:" + closedPort(), Duration.ofSeconds(10), 0));

            StripeFailure failure = catchThrowableOfType(StripeFailure.class, () -> api.refund(refundRequest()));

            assertThat(failure.outcomeUnknown()).isTrue();
            assertThat(failure).hasMessage("Stripe failed creating the refund (no answer)")
                    .hasCauseInstanceOf(ApiConnectionException.class)
                    .hasRootCauseInstanceOf(ConnectException.class);
        }

        @Test
        void shouldKeepTheSecretKeyOutOfTheFailureWhenStripeRejectsIt() {
            stripe.stubFor(post(SESSIONS).willReturn(stripeError(401, "invalid_request_error", null,
                    "Invalid API Key provided: " + SECRET_KEY)));

            StripeFailure failure = catchThrowableOfType(StripeFailure.class,
                    () -> api.openSession(sessionRequest(EMAIL, "GBP")));

            assertThat(failure.outcomeUnknown()).isFalse();
            assertThat(failure).hasCauseInstanceOf(AuthenticationException.class);
            assertThat(failure.getMessage()).isEqualTo("Stripe failed creating the Checkout Session (HTTP 401)")
                    .doesNotContain(SECRET_KEY);
            assertThat(failure.toString()).doesNotContain(SECRET_KEY);
        }

        @Test
        void shouldKeepTheSecretKeyOutOfTheFailureWhenThereIsNoAnswer() throws IOException {
            api = new StripeApi(settings("http://localhost:" + closedPort(), Duration.ofSeconds(10), 0));

            StripeFailure failure = catchThrowableOfType(StripeFailure.class,
                    () -> api.openSession(sessionRequest(EMAIL, "GBP")));

            assertThat(failure.getMessage()).doesNotContain(SECRET_KEY).doesNotContain("sk_");
            assertThat(failure.toString()).doesNotContain(SECRET_KEY);
        }
    }

    private static StripeSettings settings(String apiBase, Duration readTimeout, int maxNetworkRetries) {
        return new StripeSettings(SECRET_KEY, "whsec_test_fake", URI.create(apiBase), URI.create("http://localhost:8082"),
                null, null, Duration.ofSeconds(2), readTimeout, maxNetworkRetries, Duration.ofMinutes(5));
    }

    private static SessionRequest sessionRequest(String email, String currency) {
        return new SessionRequest(TRANSACTION, IDEMPOTENCY_KEY, ITEMS, currency, email, EXPIRES_AT);
    }

    private static RefundRequest refundRequest() {
        return new RefundRequest(TRANSACTION, REFUND, PAYMENT_INTENT, 1250, "refund-" + REFUND);
    }

    /** A port nothing listens on: connecting is refused at once. */
    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static LoggedRequest onlyRequest(String path) {
        List<LoggedRequest> requests = stripe.findAll(postRequestedFor(urlEqualTo(path)));
        assertThat(requests).hasSize(1);
        return requests.get(0);
    }

    /** The decoded form; a parameter sent twice fails the collection. */
    private static Map<String, String> form(LoggedRequest request) {
        return Arrays.stream(request.getBodyAsString().split("&"))
                .map(pair -> pair.split("=", 2))
                .collect(Collectors.toMap(pair -> decode(pair[0]), pair -> decode(pair[1])));
    }

    private static String decode(String encoded) {
        return URLDecoder.decode(encoded, StandardCharsets.UTF_8);
    }

    /** Stripe's words for a key first used with other parameters (HTTP 400, {@code idempotency_error}). */
    private static String keyUsedWithOtherParameters(String key) {
        return "Keys for idempotent requests can only be used with the same parameters they were first used with. "
                + "Try using a key other than '" + key + "' if you meant to execute a different request.";
    }

    /** Stripe's words for a request under a key still in flight (HTTP 409, {@code idempotency_key_in_use}). */
    private static String keyInUse(String key) {
        return "There is currently another in-progress request using this Idempotent Key (that probably means you "
                + "submitted twice, and the other request is still going through): " + key + ". Please try again later.";
    }

    private static ResponseDefinitionBuilder stripeError(int status, String type, String code, String message) {
        String body = """
                {
                  "error": {
                    %s%s"message": "%s",
                    "request_log_url": "https://dashboard.stripe.com/test/logs/req_8CbF2mQ0nX1yZa"
                  }
                }""".formatted(type == null ? "" : "\"type\": \"" + type + "\", ",
                code == null ? "" : "\"code\": \"" + code + "\", ", message);
        return aResponse().withStatus(status)
                .withHeader("Content-Type", "application/json")
                .withHeader("Request-Id", "req_8CbF2mQ0nX1yZa")
                .withBody(body);
    }

    private static String session(String status, String paymentStatus, String paymentIntent, Integer amountTotal) {
        return """
                {
                  "id": "%s",
                  "object": "checkout.session",
                  "amount_subtotal": %s,
                  "amount_total": %s,
                  "cancel_url": "http://localhost:8082/checkout/cancelled.html",
                  "client_reference_id": "%s",
                  "created": 1893497400,
                  "currency": "gbp",
                  "customer": null,
                  "customer_email": "%s",
                  "expires_at": %d,
                  "livemode": false,
                  "metadata": {"transaction_id": "%s"},
                  "mode": "payment",
                  "payment_intent": %s,
                  "payment_method_types": ["card"],
                  "payment_status": "%s",
                  "status": "%s",
                  "success_url": "http://localhost:8082/checkout/complete.html",
                  "url": %s
                }""".formatted(SESSION_ID, amountTotal, amountTotal, TRANSACTION, EMAIL, EXPIRES_AT.getEpochSecond(),
                TRANSACTION, paymentIntent == null ? "null" : "\"" + paymentIntent + "\"", paymentStatus, status,
                "open".equals(status) ? "\"" + CHECKOUT_URL + "\"" : "null");
    }

    private static String refund(String status) {
        return refund(status, null);
    }

    /** {@code failureReason}: Stripe's {@code failure_reason}, which only a failed refund has. */
    private static String refund(String status, String failureReason) {
        return """
                {
                  "id": "re_3QxYzAbCdEfGhIjK0r1s2t3u",
                  "object": "refund",
                  "amount": 1250,
                  "balance_transaction": null,
                  "charge": "ch_3QxYzAbCdEfGhIjK1a2b3c4d",
                  "created": 1893501200,
                  "currency": "gbp",
                  "failure_reason": %s,
                  "metadata": {"refund_id": "%s", "transaction_id": "%s"},
                  "payment_intent": "%s",
                  "reason": "requested_by_customer",
                  "receipt_number": null,
                  "source_transfer_reversal": null,
                  "status": "%s",
                  "transfer_reversal": null
                }""".formatted(failureReason == null ? "null" : "\"" + failureReason + "\"", REFUND, TRANSACTION,
                PAYMENT_INTENT, status);
    }
}
