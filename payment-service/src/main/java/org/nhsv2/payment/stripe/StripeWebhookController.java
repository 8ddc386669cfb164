package org.nhsv2.payment.stripe;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.stripe.exception.SignatureVerificationException;
import com.stripe.model.Event;
import com.stripe.net.Webhook;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirements;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.axonframework.commandhandling.CommandExecutionException;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.messaging.MetaData;
import org.nhsv2.payment.api.ApplyStripeFactCommand;
import org.nhsv2.payment.api.PaymentError;
import org.nhsv2.payment.command.StripeCheckouts;
import org.nhsv2.payment.command.StripeFailure;
import org.nhsv2.platform.problem.Problems;
import org.nhsv2.platform.problem.Rejections;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Stripe's webhook: no token, the signature over the raw body is the proof. Nothing is applied unless
 * it verifies within the tolerance. Each fact goes to its transaction, which applies a Stripe event
 * once: Stripe may deliver an event again, late, or out of order, and the end state is the same.
 * Anything but a 2xx makes Stripe deliver again later (a database outage, a concurrent change).
 */
@RestController
@Tag(name = "Stripe webhooks", description = "Stripe's signed event deliveries")
class StripeWebhookController {

    static final String PATH = "/api/stripe/webhook";
    static final String SIGNATURE = "Stripe-Signature";
    private static final Set<String> COUNTED_TYPES = Set.of("checkout.session.completed",
            "checkout.session.async_payment_succeeded", "checkout.session.async_payment_failed", "checkout.session.expired",
            "payment_intent.payment_failed", "charge.refunded", "refund.created", "refund.updated", "refund.failed",
            "charge.dispute.created", "charge.dispute.updated", "charge.dispute.closed", "charge.dispute.funds_withdrawn",
            "charge.dispute.funds_reinstated");
    private static final Logger log = LoggerFactory.getLogger(StripeWebhookController.class);

    private final CommandGateway commands;
    private final StripeEvents events;
    private final StripeSettings settings;
    private final Clock clock;
    private final ObjectMapper json;
    private final MeterRegistry meters;
    private final Counter unknownTransactions;

    StripeWebhookController(CommandGateway commands, TransactionLookup transactions, StripeCheckouts stripe,
                            StripeSettings settings, Clock clock, ObjectMapper json, MeterRegistry meters) {
        this.commands = commands;
        this.events = new StripeEvents(paymentIntent -> transactions.byPaymentIntent(paymentIntent)
                .or(() -> askStripe(stripe, paymentIntent)));
        this.settings = settings;
        this.clock = clock;
        this.json = json;
        this.meters = meters;
        this.unknownTransactions = Counter.builder("nhsv2.stripe.webhook.unknown.transactions")
                .description("Verified Stripe events about a transaction this service does not know").register(meters);
    }

    @PostMapping(path = PATH, consumes = MediaType.APPLICATION_JSON_VALUE)
    @SecurityRequirements
    @Operation(summary = "Receives a Stripe event", description = "Signed by Stripe (Stripe-Signature); "
            + "2xx once handled or deliberately ignored, 400 when the signature does not verify.")
    @ApiResponse(responseCode = "200", description = "Applied, already applied, or ignored")
    @ApiResponse(responseCode = "400", description = "Missing, wrong or stale signature, or not an event")
    ResponseEntity<Void> receive(@RequestBody byte[] body,
                                 @Parameter(description = "Stripe's signature header")
                                 @RequestHeader(name = SIGNATURE, required = false) String signature) {
        String payload = new String(body, StandardCharsets.UTF_8);
        Event event = verified(payload, signature);
        StripeEvents.Reading reading = events.read(event.getId(), event.getType(), dataObject(event));
        if (reading.transactionUnknown()) {
            unknown(event);
        }
        for (StripeEvents.Delivery delivery : reading.deliveries()) {
            try {
                commands.sendAndWait(new ApplyStripeFactCommand(delivery.transactionId(), delivery.factId(), delivery.fact()),
                        MetaData.with(ApplyStripeFactCommand.STRIPE_EVENT_ID, event.getId()));
            } catch (CommandExecutionException e) {
                if (!isUnknownTransaction(e)) {
                    throw e;
                }
                unknown(event);
            }
        }
        count(event.getType(), reading.handledType() ? "handled" : "ignored");
        return ResponseEntity.ok().build();
    }

    /**
     * A payment intent this service has not recorded yet: a refund made in Stripe's dashboard (no metadata of ours)
     * told before the payment's own event was applied, say. The intent carries the transaction's id; without
     * asking, the refund would be acknowledged as unknown and never told again. If Stripe does not answer, neither
     * does this: Stripe delivers the event again later.
     */
    private static Optional<UUID> askStripe(StripeCheckouts stripe, String paymentIntent) {
        try {
            return stripe.transactionOfPaymentIntent(paymentIntent);
        } catch (StripeFailure failure) {
            throw new ErrorResponseException(HttpStatus.SERVICE_UNAVAILABLE, Problems.of(HttpStatus.SERVICE_UNAVAILABLE,
                    "dependency-unavailable", "Stripe is unavailable",
                    "The event's payment intent could not be looked up at Stripe; deliver it again later"), failure);
        }
    }

    private Event verified(String payload, String signature) {
        if (settings.webhookSecret() == null || settings.webhookSecret().isBlank()) {
            throw new IllegalStateException("No Stripe webhook secret is configured (nhsv2.stripe.webhook-secret)");
        }
        if (signature == null || signature.isBlank()) {
            throw rejected("The Stripe-Signature header is missing");
        }
        try {
            return Webhook.constructEvent(payload, signature, settings.webhookSecret(), settings.tolerance().toSeconds(),
                    clock);
        } catch (SignatureVerificationException e) {
            throw rejected("The signature does not verify: " + e.getMessage());
        } catch (RuntimeException e) { // Gson's, for a signed body that is not an event
            throw rejected("The body is not a Stripe event");
        }
    }

    private JsonNode dataObject(Event event) {
        try {
            String raw = event.getDataObjectDeserializer().getRawJson();
            return raw == null ? json.nullNode() : json.readTree(raw);
        } catch (JsonProcessingException | RuntimeException e) {
            throw rejected("The event's data object cannot be read");
        }
    }

    private ErrorResponseException rejected(String detail) {
        count("unverified", "rejected");
        return new ErrorResponseException(HttpStatus.BAD_REQUEST, Problems.of(HttpStatus.BAD_REQUEST,
                "invalid-webhook", "Invalid Stripe webhook", detail), null);
    }

    private void unknown(Event event) {
        unknownTransactions.increment();
        log.warn("Stripe event {} ({}) names no transaction of this service; acknowledged and not applied",
                event.getId(), event.getType());
    }

    private static boolean isUnknownTransaction(CommandExecutionException e) {
        return Rejections.asAnyOf(e, PaymentError.TRANSACTION_NOT_FOUND).isPresent();
    }

    /** Tagged by type only for the types this service knows: an attacker cannot grow the tag set. */
    private void count(String type, String outcome) {
        meters.counter("nhsv2.stripe.webhook.events", "type", COUNTED_TYPES.contains(type) ? type : "other",
                "outcome", outcome).increment();
    }
}
