package org.nhsv2.notification.email;

import org.nhsv2.contracts.EmailRequested;
import org.nhsv2.contracts.EmailTemplate;
import org.nhsv2.notification.template.EmailRenderer;
import org.nhsv2.notification.template.InvalidEmailRequestException;
import org.nhsv2.notification.template.RenderedEmail;
import org.nhsv2.platform.web.Recipients;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.UUID;

/**
 * Handles one email request in one database transaction: claims its row, and unless it already has an
 * outcome, writes and sends the email and stores the outcome with it. A request that was handled before
 * (a redelivery, a duplicate consumed at the same time) gets its stored outcome back and sends nothing.
 *
 * <p>A request written before its patient was erased is not sent, however late it arrives (behind a backlog,
 * in retry, waiting out a provider's outage; erasures have a queue of their own and overtake it): it ends
 * as a permanent failure, and nothing of it is stored. Written before means published before the erasure
 * happened, less {@link ErasureSettings#clockSkew()}; a request that names no publishing time (published
 * by an older version) is not sent once any erasure of its patient is recorded. A request published after
 * the erasure (the patient booked again since) is sent.
 *
 * <p>A request that names a revision is not sent once an email of the same requester and correlation with a
 * higher revision went out: a confirmation held up by the provider's outage does not arrive after the
 * cancellation. It is answered {@code EmailSuperseded}. The emails of one correlation that name a revision are
 * handled one at a time (an advisory lock), so the check cannot miss one being sent meanwhile.
 *
 * <p>An email whose answer was lost after it went out ({@link EmailAnswerLostException}) may be with the
 * provider already. The loss is counted with the request's row and committed, and the request waits and
 * comes back; once more answers were lost than {@link LaterSettings#resendsAfterLostAnswer()} allows resends,
 * it ends as a permanent failure that says the email may have been delivered. The count holds across
 * redeliveries and the requester asking again with the same id, so one email goes out a bounded number of times.
 */
@Service
class EmailRequests {

    static final String ERASED = "the patient's personal data was erased before this email was sent";
    private static final Logger log = LoggerFactory.getLogger(EmailRequests.class);

    private final HandledRequests handled;
    private final EmailRenderer renderer;
    private final EmailSender sender;
    private final ErasureRecords erasures;
    private final ErasureSettings erasureSettings;
    private final LaterSettings laterSettings;
    private final TransactionTemplate transactions;
    private final Clock clock;

    EmailRequests(HandledRequests handled, EmailRenderer renderer, EmailSender sender, ErasureRecords erasures,
                  ErasureSettings erasureSettings, LaterSettings laterSettings, TransactionTemplate transactions,
                  Clock clock) {
        this.handled = handled;
        this.renderer = renderer;
        this.sender = sender;
        this.erasures = erasures;
        this.erasureSettings = erasureSettings;
        this.laterSettings = laterSettings;
        this.transactions = transactions;
        this.clock = clock;
    }

    /**
     * The answer for the requester ({@code EmailDelivered}, {@code EmailFailed} or {@code EmailSuperseded}), committed before it
     * returns. Throws {@link EmailProviderUnavailableException} (nothing committed) when the provider may
     * take the email later, and {@link EmailAnswerLostException} (only the loss counted and committed) when
     * the provider's answer was lost and the email may be sent once more after a wait.
     *
     * @param publishedAt when the requester published it, by its clock; {@code null} when the message does not say
     */
    Object handle(EmailRequested request, String requester, Instant publishedAt) {
        Handling handling = transactions.execute(status -> {
            Optional<Outcome> before = handled.claim(request, requester);
            if (before.isPresent()) {
                log.info("Email request {} was handled before: answering {} again", request.requestId(), requester);
                return new Handling(before.get(), null);
            }
            Outcome now;
            try {
                now = erasedSinceWritten(request, publishedAt)
                        ? refused(request, ERASED)
                        : attemptUnlessSuperseded(request, requester);
            } catch (EmailAnswerLostException lost) {
                int answersLost = handled.answerLost(request.requestId());
                if (answersLost <= laterSettings.resendsAfterLostAnswer()) {
                    // Committed without an outcome: the count outlives this try, the request comes back after a wait.
                    return new Handling(null, lost);
                }
                now = refused(request, answerLost(answersLost));
            }
            handled.record(request, now, now());
            return new Handling(now, null);
        });
        if (handling.lost() != null) {
            throw handling.lost();
        }
        return handling.outcome().answer(request.requestId(), request.correlationId());
    }

    /** The reason the requester gets once the answers of {@code times} sends were lost. */
    static String answerLost(int times) {
        return "the email provider's answer was lost " + times + " times (no answer in time, or the connection broke"
                + " after the email went out): it may have been delivered, and is not sent again";
    }

    /** Takes the patient's lock first, so an erasure committing meanwhile is seen, or waits for this transaction. */
    private boolean erasedSinceWritten(EmailRequested request, Instant publishedAt) {
        if (request.patientId() == null) {
            return false;
        }
        // Without a publishing time, any erasure recorded counts: every one happened after the epoch.
        return erasures.erasedSince(request.patientId(),
                publishedAt == null ? Instant.EPOCH : publishedAt.minus(erasureSettings.clockSkew()));
    }

    /** Not sent when an email about the same thing with a higher revision went out first (see {@link EmailRequested}). */
    private Outcome attemptUnlessSuperseded(EmailRequested request, String requester) {
        if (request.revision() == null) {
            return attempt(request);
        }
        Optional<UUID> newer = handled.newerSent(request, requester);
        if (newer.isPresent()) {
            log.info("Email request {} ({}, revision {}) not sent: {} about the same {} went out first with a higher"
                    + " revision", request.requestId(), request.template(), request.revision(), newer.get(),
                    request.correlationId());
            return new Outcome.Superseded(newer.get());
        }
        return attempt(request);
    }

    private Outcome attempt(EmailRequested request) {
        Instant linkExpiry = paymentLinkExpiry(request);
        if (linkExpiry != null && !linkExpiry.isAfter(clock.instant())) {
            // Held up longer than the link lives (the provider away, the request waiting): a dead link is not sent. After
            // a send whose answer was lost, the patient may have the link: the reason says so.
            int answersLost = handled.answersLost(request.requestId());
            return refused(request, "the payment link expired at " + linkExpiry + (answersLost == 0
                    ? " before it could be sent" : " before it could be sent again; " + answerLost(answersLost)));
        }
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

    /** When the payment link in the request stops working; {@code null} for other emails (or a time rendering refuses). */
    private static Instant paymentLinkExpiry(EmailRequested request) {
        if (request.template() != EmailTemplate.PAYMENT_LINK || request.model() == null) {
            return null;
        }
        try {
            return Instant.parse(String.valueOf(request.model().get(EmailTemplate.EXPIRES_AT)));
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /** To the microsecond, as PostgreSQL keeps it: an answer repeated from the table equals the first one. */
    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }

    private static Outcome refused(EmailRequested request, String reason) {
        log.warn("Email request {} ({}) failed for good: {}", request.requestId(), request.template(), reason);
        return new Outcome.Failed(reason);
    }

    /** What one handling came to: an outcome, or a lost answer to throw once its count is committed. */
    private record Handling(Outcome outcome, EmailAnswerLostException lost) {
    }
}
