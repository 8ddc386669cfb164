package org.nhsv2.payment.web;

import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import org.axonframework.commandhandling.CommandExecutionException;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.messaging.MetaData;
import org.nhsv2.payment.api.CheckoutResult;
import org.nhsv2.payment.api.FindTransactionQuery;
import org.nhsv2.payment.api.InitiateCheckoutCommand;
import org.nhsv2.payment.api.OpenCheckoutCommand;
import org.nhsv2.payment.api.PaymentError;
import org.nhsv2.payment.api.PaymentRejection;
import org.nhsv2.payment.api.TransactionStatus;
import org.nhsv2.payment.api.TransactionView;
import org.nhsv2.platform.api.Actor;
import org.nhsv2.platform.api.IdempotencyKey;
import org.nhsv2.platform.problem.Problems;
import org.nhsv2.platform.web.IdempotencyKeyHeader;
import org.nhsv2.platform.web.ReadYourWrites;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Opens a payment: the transaction is stored first, then Stripe's Checkout Session is made, then the
 * answer holds its link. If Stripe fails, the answer is 502 and the transaction stays, without a
 * session; the same request again (same {@code Idempotency-Key}) tries Stripe again for that same
 * transaction, and never makes a second session.
 */
@RestController
@Tag(name = "Payments", description = "Checkouts, transactions and refunds")
@RequestMapping("/api/checkouts")
class CheckoutController {

    private final CommandGateway commands;
    private final ReadYourWrites readYourWrites;

    CheckoutController(CommandGateway commands, ReadYourWrites readYourWrites) {
        this.commands = commands;
        this.readYourWrites = readYourWrites;
    }

    @PostMapping
    @ApiResponse(responseCode = "201", description = "The transaction with its checkoutUrl, as readers now see it")
    @ApiResponse(responseCode = "202", description = "Opened; the read side is catching up, follow Location")
    @ApiResponse(responseCode = "502", description = "Stripe did not open the checkout; retry with the same Idempotency-Key")
    ResponseEntity<TransactionView> checkout(@Valid @RequestBody CheckoutRequest request,
                                             @RequestHeader(name = IdempotencyKeyHeader.NAME, required = false) String key,
                                             Actor actor, @AuthenticationPrincipal Jwt token) {
        IdempotencyKey idempotencyKey = IdempotencyKeyHeader.parse(key, actor.id());
        UUID transactionId = UUID.randomUUID();
        boolean replayed = false;
        try {
            commands.sendAndWait(initiate(request, transactionId, idempotencyKey, actor, token),
                    MetaData.from(actor.metaData()));
        } catch (CommandExecutionException e) {
            transactionId = originalOf(e).orElseThrow(() -> e);
            replayed = true;
        }
        UUID id = transactionId;
        ReadYourWrites.Outcome<CheckoutResult, TransactionView> outcome = readYourWrites.sendForResult(
                new OpenCheckoutCommand(id), actor, new FindTransactionQuery(id), TransactionView.class,
                view -> view.status() != TransactionStatus.INITIATED, CheckoutResult::opened);
        if (!outcome.result().opened()) {
            ProblemDetail problem = Problems.of(HttpStatus.BAD_GATEWAY, PaymentError.PAYMENT_PROVIDER_FAILED.code(),
                    PaymentError.PAYMENT_PROVIDER_FAILED.title(), outcome.result().failureReason()
                            + ". The transaction is kept; send the same request with the same Idempotency-Key to try again.");
            problem.setProperty("transactionId", id);
            throw new ErrorResponseException(HttpStatus.BAD_GATEWAY, problem, null);
        }
        ResponseEntity.BodyBuilder answer = outcome.view().isPresent()
                ? ResponseEntity.status(HttpStatus.CREATED) : ResponseEntity.status(HttpStatus.ACCEPTED);
        answer.location(TransactionController.location(id));
        if (replayed) {
            answer.header(IdempotencyKeyHeader.REPLAYED, "true");
        }
        return outcome.view().map(answer::body).orElseGet(() -> answer.build());
    }

    /** A doctor names the patient; a patient pays for themselves, as their token says who they are ({@link PayingPatient}). */
    private static InitiateCheckoutCommand initiate(CheckoutRequest request, UUID transactionId, IdempotencyKey key,
                                                    Actor actor, Jwt token) {
        var items = request.items().stream().map(CheckoutRequest.Item::toRequested).toList();
        if (actor.role() == Actor.Role.PATIENT) {
            if (request.patientId() != null && !actor.is(request.patientId())) {
                throw new ErrorResponseException(HttpStatus.FORBIDDEN, Problems.of(HttpStatus.FORBIDDEN,
                        PaymentError.PATIENT_FORBIDDEN.code(), PaymentError.PATIENT_FORBIDDEN.title(),
                        "A patient may pay only for themselves; leave patientId out or give your own"), null);
            }
            PayingPatient patient = PayingPatient.of(token);
            return new InitiateCheckoutCommand(transactionId, request.facilityId(), actor.id(), patient.name(),
                    patient.email(), items, request.appointmentId(), key);
        }
        requirePatient(request);
        return new InitiateCheckoutCommand(transactionId, request.facilityId(), request.patientId(), request.patientName(),
                request.patientEmail(), items, request.appointmentId(), key);
    }

    private static void requirePatient(CheckoutRequest request) {
        List<Map<String, String>> errors = new ArrayList<>();
        if (request.patientId() == null) {
            errors.add(Map.of("field", "patientId", "message", "must not be null"));
        }
        if (request.patientName() == null || request.patientName().isBlank()) {
            errors.add(Map.of("field", "patientName", "message", "must not be blank"));
        }
        if (request.patientEmail() == null || request.patientEmail().isBlank()) {
            errors.add(Map.of("field", "patientEmail", "message", "must not be blank"));
        }
        if (!errors.isEmpty()) {
            throw new ErrorResponseException(HttpStatus.BAD_REQUEST, Problems.invalidRequest(errors), null);
        }
    }

    private static Optional<UUID> originalOf(CommandExecutionException e) {
        return e.getDetails()
                .filter(PaymentRejection.class::isInstance).map(PaymentRejection.class::cast)
                .filter(rejection -> rejection.error() == PaymentError.DUPLICATE_REQUEST)
                .map(PaymentRejection::originalTransactionId);
    }
}
