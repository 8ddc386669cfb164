package org.nhsv2.payment.stripe;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.net.URI;
import java.time.Duration;

/**
 * How the service reaches Stripe ({@code nhsv2.stripe.*}). Without a {@code secretKey} (the local
 * profile only: elsewhere it is a required secret) the service runs the sandbox instead.
 *
 * @param publicBaseUrl where browsers reach this service: the sandbox's checkout pages and the
 *                      default success and cancel pages hang off it
 * @param tolerance     how old a webhook's signature may be
 */
@ConfigurationProperties("nhsv2.stripe")
public record StripeSettings(
        String secretKey,
        String webhookSecret,
        @DefaultValue("https://api.stripe.com") URI apiBase,
        @DefaultValue("http://localhost:8082") URI publicBaseUrl,
        URI successUrl,
        URI cancelUrl,
        @DefaultValue("5s") Duration connectTimeout,
        @DefaultValue("20s") Duration readTimeout,
        @DefaultValue("2") int maxNetworkRetries,
        @DefaultValue("300s") Duration tolerance) {

    public boolean sandbox() {
        return secretKey == null || secretKey.isBlank();
    }

    /** Stripe sends the payer here; {@code {CHECKOUT_SESSION_ID}} is Stripe's own template. */
    public String successPage() {
        return successUrl != null ? successUrl.toString() : publicBaseUrl + "/checkout/complete.html";
    }

    public String cancelPage() {
        return cancelUrl != null ? cancelUrl.toString() : publicBaseUrl + "/checkout/cancelled.html";
    }

    /** The keys stay out of logs. */
    @Override
    public String toString() {
        return "StripeSettings[apiBase=" + apiBase + ", sandbox=" + sandbox() + ", secrets redacted]";
    }
}
