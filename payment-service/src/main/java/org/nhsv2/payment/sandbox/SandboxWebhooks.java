package org.nhsv2.payment.sandbox;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.stripe.Stripe;
import com.stripe.net.Webhook;
import org.nhsv2.payment.stripe.StripeMode;
import org.nhsv2.payment.stripe.StripeSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.web.servlet.context.ServletWebServerInitializedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Conditional;
import org.springframework.stereotype.Component;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Delivers Stripe-format events, signed with the webhook secret exactly as Stripe signs them, to this
 * service's own webhook endpoint: the sandbox goes through the same verification and handling as
 * Stripe's deliveries do.
 */
@Component
@Conditional(StripeMode.Sandbox.class)
class SandboxWebhooks implements ApplicationListener<ServletWebServerInitializedEvent> {

    private static final Logger log = LoggerFactory.getLogger(SandboxWebhooks.class);

    private final StripeSettings settings;
    private final ObjectMapper json;
    private final Clock clock;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private volatile int port;

    SandboxWebhooks(StripeSettings settings, ObjectMapper json, Clock clock) {
        this.settings = settings;
        this.json = json;
        this.clock = clock;
    }

    /** The API's port (not the management port, whose context has a namespace of its own). */
    @Override
    public void onApplicationEvent(ServletWebServerInitializedEvent event) {
        if (event.getApplicationContext().getServerNamespace() == null) {
            port = event.getWebServer().getPort();
        }
    }

    /** Returns the endpoint's HTTP status. */
    int deliver(String type, Map<String, Object> object) {
        long now = clock.instant().getEpochSecond();
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("id", SandboxIds.next("evt"));
        event.put("object", "event");
        event.put("api_version", Stripe.API_VERSION);
        event.put("created", now);
        event.put("livemode", false);
        event.put("pending_webhooks", 1);
        event.put("request", Map.of());
        event.put("type", type);
        event.put("data", Map.of("object", object));
        try {
            String payload = json.writeValueAsString(event);
            HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/stripe/webhook"))
                    .timeout(Duration.ofSeconds(30))
                    .header("Content-Type", "application/json; charset=utf-8")
                    .header("Stripe-Signature", Webhook.Signature.generateSignatureHeader(payload,
                            settings.webhookSecret(), now))
                    .POST(HttpRequest.BodyPublishers.ofString(payload)).build();
            int status = http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
            log.info("Sandbox delivered {} {}: HTTP {}", type, event.get("id"), status);
            return status;
        } catch (JsonProcessingException | GeneralSecurityException e) {
            throw new IllegalStateException("Could not sign the sandbox event", e);
        } catch (IOException e) {
            log.warn("Sandbox could not deliver {}: {}", type, e.toString());
            return 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 0;
        }
    }
}
