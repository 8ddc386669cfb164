package org.nhsv2.payment.web;

import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.messaging.MetaData;
import org.axonframework.messaging.responsetypes.ResponseTypes;
import org.axonframework.queryhandling.QueryGateway;
import org.nhsv2.payment.api.FindTransactionHistoryQuery;
import org.nhsv2.payment.api.FindTransactionQuery;
import org.nhsv2.payment.api.PaymentError;
import org.nhsv2.payment.api.RefundStatus;
import org.nhsv2.payment.api.RequestRefundCommand;
import org.nhsv2.payment.api.SubmitRefundCommand;
import org.nhsv2.payment.api.TransactionHistory;
import org.nhsv2.payment.api.TransactionView;
import org.nhsv2.platform.api.Actor;
import org.nhsv2.platform.api.IdempotencyKey;
import org.nhsv2.platform.problem.Problems;
import org.nhsv2.platform.web.IdempotencyKeyHeader;
import org.nhsv2.platform.web.ReadYourWrites;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.UUID;

@RestController
@Tag(name = "Payments", description = "Checkouts, transactions and refunds")
@RequestMapping("/api/transactions")
class TransactionController {

    static final String REFUND_ID = "Refund-Id";

    private final CommandGateway commands;
    private final QueryGateway queries;
    private final ReadYourWrites readYourWrites;

    TransactionController(CommandGateway commands, QueryGateway queries, ReadYourWrites readYourWrites) {
        this.commands = commands;
        this.queries = queries;
        this.readYourWrites = readYourWrites;
    }

    @GetMapping("/{transactionId}")
    TransactionView get(@PathVariable UUID transactionId, Actor actor) {
        return readable(transactionId, actor);
    }

    @GetMapping("/{transactionId}/history")
    TransactionHistory history(@PathVariable UUID transactionId, Actor actor) {
        readable(transactionId, actor);
        return queries.query(new FindTransactionHistoryQuery(transactionId),
                        ResponseTypes.optionalInstanceOf(TransactionHistory.class)).join()
                .orElseThrow(() -> notFound(transactionId));
    }

    /**
     * Stored first (its amount counts as taken at once), then sent to Stripe with a key derived from
     * the refund id. With an {@code Idempotency-Key}, the same request again is the same refund.
     */
    @PostMapping("/{transactionId}/refunds")
    @ApiResponse(responseCode = "201", description = "Requested and sent to Stripe; the transaction as readers now see it",
            headers = @Header(name = REFUND_ID, description = "The refund's id in the transaction's refunds"))
    @ApiResponse(responseCode = "202", description = "Requested; Stripe's answer or the read side is pending, follow Location")
    @ApiResponse(responseCode = "502", description = "Stripe refused the refund (already refunded there, disputed, ...);"
            + " it is listed as FAILED and its amount may be refunded again")
    ResponseEntity<TransactionView> refund(@PathVariable UUID transactionId, @Valid @RequestBody RefundRequest request,
                                           @RequestHeader(name = IdempotencyKeyHeader.NAME, required = false) String key,
                                           Actor actor) {
        UUID refundId = refundIdFor(IdempotencyKeyHeader.parse(key, actor.id()), transactionId);
        commands.sendAndWait(new RequestRefundCommand(transactionId, refundId, request.amount(), request.reason()),
                MetaData.from(actor.metaData()));
        ReadYourWrites.Outcome<RefundStatus, TransactionView> outcome = readYourWrites.sendForResult(
                new SubmitRefundCommand(transactionId, refundId), actor, new FindTransactionQuery(transactionId),
                TransactionView.class, view -> view.refunds().stream().anyMatch(refund -> refund.refundId().equals(refundId)
                        && refund.status() != RefundStatus.REQUESTED),
                status -> status != RefundStatus.REQUESTED);
        if (outcome.result() == RefundStatus.FAILED) {
            throw refused(transactionId, refundId);
        }
        ResponseEntity.BodyBuilder answer = ResponseEntity.status(outcome.view().isPresent() ? HttpStatus.CREATED
                : HttpStatus.ACCEPTED).location(location(transactionId)).header(REFUND_ID, refundId.toString());
        return outcome.view().map(answer::body).orElseGet(() -> answer.build());
    }

    /** Not a refund made: a client reading only the status must not take it for one (the same key answers the same). */
    private static ErrorResponseException refused(UUID transactionId, UUID refundId) {
        ProblemDetail problem = Problems.of(HttpStatus.BAD_GATEWAY, PaymentError.PAYMENT_PROVIDER_FAILED.code(),
                PaymentError.PAYMENT_PROVIDER_FAILED.title(), "The refund failed at Stripe (refused, or failed after it"
                        + " was made); it is listed as FAILED in the transaction's history with Stripe's reason, and its"
                        + " amount may be refunded again");
        problem.setProperty("transactionId", transactionId);
        problem.setProperty("refundId", refundId);
        return new ErrorResponseException(HttpStatus.BAD_GATEWAY, problem, null);
    }

    /** A new id, or one the key always gives for this caller and transaction: the same refund again. */
    private static UUID refundIdFor(IdempotencyKey key, UUID transactionId) {
        if (key == null) {
            return UUID.randomUUID();
        }
        return UUID.nameUUIDFromBytes(("refund:" + transactionId + ":" + key.callerId() + ":" + key.key())
                .getBytes(StandardCharsets.UTF_8));
    }

    /** Doctors see their facilities' transactions, patients their own (others' look absent), admins all. */
    private TransactionView readable(UUID transactionId, Actor actor) {
        TransactionView view = find(transactionId).orElseThrow(() -> notFound(transactionId));
        switch (actor.role()) {
            case DOCTOR -> {
                if (!actor.worksAt(view.facilityId())) {
                    throw new ErrorResponseException(HttpStatus.FORBIDDEN, Problems.of(HttpStatus.FORBIDDEN,
                            PaymentError.FACILITY_FORBIDDEN.code(), PaymentError.FACILITY_FORBIDDEN.title(),
                            "The transaction belongs to a facility you are not a member of"), null);
                }
            }
            case PATIENT -> {
                if (!actor.is(view.patientId())) {
                    throw notFound(transactionId);
                }
            }
            case ADMIN -> {
                // Operators may read everything.
            }
        }
        return view;
    }

    private Optional<TransactionView> find(UUID transactionId) {
        return queries.query(new FindTransactionQuery(transactionId),
                ResponseTypes.optionalInstanceOf(TransactionView.class)).join();
    }

    static ErrorResponseException notFound(UUID transactionId) {
        return new ErrorResponseException(HttpStatus.NOT_FOUND, Problems.of(HttpStatus.NOT_FOUND,
                PaymentError.TRANSACTION_NOT_FOUND.code(), PaymentError.TRANSACTION_NOT_FOUND.title(),
                "No transaction " + transactionId + " that you may see"), null);
    }

    static URI location(UUID transactionId) {
        return URI.create("/api/transactions/" + transactionId);
    }
}
