package org.nhsv2.notification.email;

import org.nhsv2.contracts.EmailRequested;
import org.nhsv2.notification.template.EmailRenderer;
import org.nhsv2.notification.template.InvalidEmailRequestException;
import org.nhsv2.notification.template.RenderedEmail;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

/**
 * Handles one email request in one database transaction: claims its row, and unless it already has an
 * outcome, writes and sends the email and stores the outcome with it. A request that was handled before
 * (a redelivery, a duplicate consumed at the same time) gets its stored outcome back and sends nothing.
 */
@Service
class EmailRequests {

    private static final Logger log = LoggerFactory.getLogger(EmailRequests.class);

    private final HandledRequests handled;
    private final EmailRenderer renderer;
    private final EmailSender sender;
    private final TransactionTemplate transactions;
    private final Clock clock;

    EmailRequests(HandledRequests handled, EmailRenderer renderer, EmailSender sender, TransactionTemplate transactions,
                  Clock clock) {
        this.handled = handled;
        this.renderer = renderer;
        this.sender = sender;
        this.transactions = transactions;
        this.clock = clock;
    }

    /**
     * The answer for the requester ({@code EmailDelivered} or {@code EmailFailed}), committed before it
     * returns. Throws {@link EmailProviderUnavailableException} (nothing committed) when the provider may
     * take the email later.
     */
    Object handle(EmailRequested request, String requester) {
        Outcome outcome = transactions.execute(status -> {
            Optional<Outcome> before = handled.claim(request, requester);
            if (before.isPresent()) {
                log.info("Email request {} was handled before: answering {} again", request.requestId(), requester);
                return before.get();
            }
            Outcome now = attempt(request);
            handled.record(request.requestId(), now, now());
            return now;
        });
        return outcome.answer(request.requestId(), request.correlationId());
    }

    private Outcome attempt(EmailRequested request) {
        if (!Recipients.isDeliverable(request.recipient())) {
            return refused(request, "the recipient is not a valid email address");
        }
        RenderedEmail email;
        try {
            email = renderer.render(request);
        } catch (InvalidEmailRequestException e) {
            return refused(request, e.getMessage());
        }
        Delivery delivery = sender.send(new OutgoingEmail(request.requestId(), request.patientId(), request.recipient(),
                email.subject(), email.text(), email.html(), request.attachments()));
        if (delivery instanceof Delivery.Refused refusal) {
            return refused(request, refusal.reason());
        }
        Delivery.Accepted accepted = (Delivery.Accepted) delivery;
        log.info("Email request {} ({}) delivered as {}", request.requestId(), request.template(),
                accepted.providerMessageId());
        return new Outcome.Delivered(accepted.providerMessageId(), now());
    }

    /** To the microsecond, as PostgreSQL keeps it: an answer repeated from the table equals the first one. */
    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }

    private static Outcome refused(EmailRequested request, String reason) {
        log.warn("Email request {} ({}) failed for good: {}", request.requestId(), request.template(), reason);
        return new Outcome.Failed(reason);
    }
}
