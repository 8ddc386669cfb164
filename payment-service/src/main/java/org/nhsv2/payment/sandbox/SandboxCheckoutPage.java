package org.nhsv2.payment.sandbox;

import io.swagger.v3.oas.annotations.Hidden;
import org.nhsv2.payment.stripe.StripeMode;
import org.nhsv2.payment.stripe.StripeSettings;
import org.springframework.context.annotation.Conditional;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.util.HtmlUtils;

import java.math.BigDecimal;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Currency;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The sandbox's checkout page: what Stripe's hosted page is to a real session. No login, like
 * Stripe's: the session id in the link is the secret. Pay, Decline and "expire now" each deliver the
 * signed event Stripe would send, then lead where Stripe would.
 */
@Controller
@Hidden
@Conditional(StripeMode.Sandbox.class)
@RequestMapping(SandboxCheckoutPage.PATH)
class SandboxCheckoutPage {

    static final String PATH = "/sandbox/checkout";
    private static final MediaType HTML = new MediaType(MediaType.TEXT_HTML, StandardCharsets.UTF_8);

    private final SandboxSessions sessions;
    private final SandboxWebhooks webhooks;
    private final StripeSettings settings;
    private final Clock clock;

    SandboxCheckoutPage(SandboxSessions sessions, SandboxWebhooks webhooks, StripeSettings settings, Clock clock) {
        this.sessions = sessions;
        this.webhooks = webhooks;
        this.settings = settings;
        this.clock = clock;
    }

    @GetMapping("/{sessionId}")
    ResponseEntity<String> page(@PathVariable String sessionId, @RequestParam Optional<String> declined) {
        return sessions.find(sessionId).map(this::expireIfDue)
                .map(session -> html(HttpStatus.OK, render(session, declined.isPresent())))
                .orElseGet(() -> html(HttpStatus.NOT_FOUND, "<p>No such sandbox checkout.</p>"));
    }

    @PostMapping("/{sessionId}/pay")
    ResponseEntity<String> pay(@PathVariable String sessionId) {
        return act(sessionId, session -> {
            if (!sessions.close(sessionId, "complete", "paid")) {
                return null;
            }
            deliver("checkout.session.completed", sessions.find(sessionId).orElseThrow());
            return URI.create(settings.successPage().replace("{CHECKOUT_SESSION_ID}", sessionId));
        });
    }

    @PostMapping("/{sessionId}/decline")
    ResponseEntity<String> decline(@PathVariable String sessionId) {
        return act(sessionId, session -> {
            deliver("payment_intent.payment_failed", session, SandboxObjects.declinedPaymentIntent(session));
            return URI.create(PATH + "/" + sessionId + "?declined=true");
        });
    }

    @PostMapping("/{sessionId}/expire")
    ResponseEntity<String> expire(@PathVariable String sessionId) {
        return act(sessionId, session -> {
            if (!sessions.close(sessionId, "expired", "unpaid")) {
                return null;
            }
            deliver("checkout.session.expired", sessions.find(sessionId).orElseThrow());
            return URI.create(settings.cancelPage());
        });
    }

    /** Runs the action on an open session and follows it with a 303; a closed session shows its page. */
    private ResponseEntity<String> act(String sessionId, Function<SandboxSessions.Session, URI> action) {
        Optional<SandboxSessions.Session> found = sessions.find(sessionId).map(this::expireIfDue);
        if (found.isEmpty()) {
            return html(HttpStatus.NOT_FOUND, "<p>No such sandbox checkout.</p>");
        }
        URI next = found.get().isOpen() ? action.apply(found.get()) : null;
        if (next == null) {
            return html(HttpStatus.CONFLICT, render(sessions.find(sessionId).orElseThrow(), false));
        }
        return ResponseEntity.status(HttpStatus.SEE_OTHER).location(next).build();
    }

    /** Stripe expires a session at its time and says so by webhook; so does the sandbox, when it is next looked at. */
    private SandboxSessions.Session expireIfDue(SandboxSessions.Session session) {
        if (session.isOpen() && !clock.instant().isBefore(session.expiresAt())
                && sessions.close(session.sessionId(), "expired", "unpaid")) {
            SandboxSessions.Session expired = sessions.find(session.sessionId()).orElseThrow();
            deliver("checkout.session.expired", expired);
            return expired;
        }
        return session;
    }

    private void deliver(String type, SandboxSessions.Session session) {
        deliver(type, session, SandboxObjects.session(session));
    }

    private void deliver(String type, SandboxSessions.Session session, Map<String, Object> object) {
        int status = webhooks.deliver(type, object);
        if (status < 200 || status > 299) {
            throw new IllegalStateException("The webhook answered " + status + " to " + type + " for " + session.sessionId());
        }
    }

    private String render(SandboxSessions.Session session, boolean declined) {
        String rows = session.items().stream().map(item -> "<tr><td>" + escape(item.name()) + "</td><td>"
                + item.quantity() + "</td><td>" + money(item.unitAmount(), session.currency()) + "</td><td>"
                + money(item.amount(), session.currency()) + "</td></tr>").collect(Collectors.joining());
        String state = switch (session.status()) {
            case "open" -> declined ? "<p class=warn>Your card was declined. Try again.</p>" : "";
            case "complete" -> "<p class=ok>Paid. Thank you.</p>";
            default -> "<p class=warn>This checkout has expired.</p>";
        };
        String actions = session.isOpen() ? """
                <form method=post action="%1$s/pay"><button>Pay %2$s</button></form>
                <form method=post action="%1$s/decline"><button class=secondary>Decline</button></form>
                <form method=post action="%1$s/expire"><button class=link>expire now</button></form>"""
                .formatted(PATH + "/" + escape(session.sessionId()), money(session.amountTotal(), session.currency())) : "";
        return """
                <!doctype html><html lang=en><head><meta charset=utf-8><title>NHSv2 payment sandbox</title>
                <meta name=viewport content="width=device-width">
                <style>body{font-family:sans-serif;max-width:40em;margin:2em auto}table{border-collapse:collapse;width:100%%}
                td,th{padding:.3em;border-bottom:1px solid #ddd;text-align:left}.ok{color:#060}.warn{color:#a00}
                form{display:inline}button{margin:1em .5em 0 0;padding:.5em 1em}button.link{background:none;border:none;
                color:#06c;text-decoration:underline;cursor:pointer}</style></head><body>
                <p><strong>Sandbox</strong>: no Stripe key is configured, so no money moves. This page sends the
                signed events Stripe would.</p>
                <h1>Payment</h1>
                <table><tr><th>Item</th><th>Quantity</th><th>Unit price</th><th>Amount</th></tr>%s
                <tr><th colspan=3>Total (%s)</th><th id=total>%s</th></tr></table>
                <p>Session <code id=status>%s</code>, expires %s</p>%s%s
                </body></html>""".formatted(rows, escape(session.currency()), money(session.amountTotal(), session.currency()),
                escape(session.status()), session.expiresAt(), state, actions);
    }

    private static String money(long minorUnits, String currency) {
        int digits = Math.max(Currency.getInstance(currency).getDefaultFractionDigits(), 0);
        return escape(BigDecimal.valueOf(minorUnits, digits).toPlainString() + " " + currency);
    }

    private static String escape(String text) {
        return HtmlUtils.htmlEscape(text);
    }

    private static ResponseEntity<String> html(HttpStatus status, String body) {
        return ResponseEntity.status(status).contentType(HTML)
                .header("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'")
                .body(body);
    }
}
