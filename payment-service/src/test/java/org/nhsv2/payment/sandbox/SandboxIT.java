package org.nhsv2.payment.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.nhsv2.payment.PaymentIntegrationTest;
import org.nhsv2.payment.api.StripeFact;
import org.nhsv2.payment.command.StripeCheckouts;
import org.nhsv2.payment.command.StripeFailure;
import org.nhsv2.platform.testing.Api;
import org.nhsv2.platform.testing.ClientAccepts;
import org.nhsv2.platform.testing.DemoUsers;
import org.springframework.beans.factory.annotation.Autowired;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * The local run without Stripe keys, over HTTP as a patient's browser uses it: the checkout link opens
 * the sandbox page, whose buttons deliver signed events to the real webhook endpoint.
 */
class SandboxIT extends PaymentIntegrationTest {

    @Autowired
    private StripeCheckouts stripe;

    @Test
    void shouldShowTheItemsAndTotalThenPayAndShowPaidWithItsHistory() {
        JsonNode transaction = openCheckout();
        UUID id = idOf(transaction);
        String url = transaction.path("checkoutUrl").asText();

        HttpResponse<String> page = openPage(url);
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("text/html"));
        assertThat(page.body()).contains("Amoxicillin 500 mg capsules, pack of 21", "GP consultation fee", "70.00 GBP",
                "Pay", "Decline", "expire now");

        HttpResponse<String> paid = press(url, "pay");

        assertThat(paid.statusCode()).isEqualTo(303);
        assertThat(paid.headers().firstValue("Location")).hasValueSatisfying(location ->
                assertThat(location).endsWith("/checkout/complete.html"));
        assertThat(awaitStatus(id, "PAID").path("totalAmount").asLong()).isEqualTo(7000);
        JsonNode history = as(DemoUsers.PAT_ONE).get("/api/transactions/" + id + "/history").body().path("entries");
        assertThat(history.findValuesAsText("type")).containsExactly("TransactionInitiated", "CheckoutOpened",
                "PaymentSucceeded");
        assertThat(history.get(2).path("stripeEventId").asText()).startsWith("evt_sandbox_");
        assertThat(openPage(url).body()).contains("Paid");
        assertThat(press(url, "pay").statusCode()).as("a second click pays nothing more").isEqualTo(409);
    }

    @Test
    void shouldKeepTheCheckoutOpenAfterADeclineAndEndItOnExpireNow() {
        JsonNode transaction = openCheckout();
        UUID id = idOf(transaction);
        String url = transaction.path("checkoutUrl").asText();

        HttpResponse<String> declined = press(url, "decline");
        assertThat(declined.statusCode()).isEqualTo(303);
        String back = declined.headers().firstValue("Location").orElseThrow();
        assertThat(back).startsWith("/sandbox/checkout/");
        assertThat(openPage("http://localhost" + back).body()).contains("Your card was declined");
        assertThat(openPage(url).body()).doesNotContain("declined");
        assertThat(awaitStatus(id, "OPEN")).isNotNull();

        assertThat(press(url, "expire").statusCode()).isEqualTo(303);
        awaitStatus(id, "EXPIRED");
        assertThat(press(url, "pay").statusCode()).isEqualTo(409);
    }

    /**
     * What reconciliation asks of a refund whose webhook was lost: the sandbox answers from its own record, as Stripe
     * does, and that reads as the fact the webhook would have carried.
     */
    @Test
    void shouldTellARefundsStateFromItsOwnRecordWhenAsked() throws StripeFailure {
        UUID id = paidCheckout();
        Api.Response refunded = as(DemoUsers.ALICE).post("/api/transactions/" + id + "/refunds",
                Map.of("amount", 2500, "reason", "One pack returned"));
        UUID refundId = UUID.fromString(refunded.header("Refund-Id").orElseThrow());
        JsonNode view = awaitStatus(id, "PARTIALLY_REFUNDED");
        String stripeRefundId = view.path("refunds").get(0).path("stripeRefundId").asText();
        String paymentIntent = jdbc.queryForObject("select payment_intent_id from transaction_view where transaction_id = ?",
                String.class, id);

        StripeCheckouts.RefundState state = stripe.refundState(stripeRefundId);

        assertThat(state.isSettled()).isTrue();
        assertThat(state.settled(refundId)).isEqualTo(new StripeFact.RefundSettled(stripeRefundId, refundId, 2500, true,
                null, paymentIntent));
        StripeFailure unknown = catchThrowableOfType(StripeFailure.class, () -> stripe.refundState("re_sandbox_none"));
        assertThat(unknown.outcomeUnknown()).as("Stripe's 404: it knows no such refund").isFalse();
    }

    @Test
    void shouldServeTheSandboxPageWithoutALoginButOnlyForARealSession() {
        assertThat(openPage("http://localhost/sandbox/checkout/cs_sandbox_doesnotexist").statusCode()).isEqualTo(404);
        assertThat(press("http://localhost/sandbox/checkout/cs_sandbox_doesnotexist", "pay").statusCode()).isEqualTo(404);
    }

    /** Whatever a browser accepts, and none: the page, its declined state, an unknown session's page, and where it leads. */
    @Test
    void shouldShowThePagesToEveryBrowser() {
        String url = openCheckout().path("checkoutUrl").asText();
        List<String> accepts = new ArrayList<>(ClientAccepts.BROWSERS);
        accepts.addAll(List.of("", "*/*", "text/html", "text/html;charset=utf-8"));
        for (String accept : accepts) {
            assertThat(openPage(url, accept)).as(accept).satisfies(page -> {
                assertThat(page.statusCode()).isEqualTo(200);
                assertThat(page.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type)
                        .startsWith("text/html"));
                assertThat(page.body()).contains("70.00 GBP");
            });
            assertThat(openPage(url + "?declined=true", accept).body()).as(accept).contains("Your card was declined");
            assertThat(openPage("http://localhost/sandbox/checkout/cs_sandbox_doesnotexist", accept)).as(accept)
                    .satisfies(page -> {
                        assertThat(page.statusCode()).isEqualTo(404);
                        assertThat(page.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type)
                                .startsWith("text/html"));
                    });
            assertThat(openPage("http://localhost/checkout/complete.html", accept).statusCode()).as(accept).isEqualTo(200);
        }
    }
}
