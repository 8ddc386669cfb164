package org.nhsv2.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import org.nhsv2.platform.testing.Api;
import org.nhsv2.platform.testing.DemoUsers;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.StreamSupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * notification-service's local mailbox (no SendGrid key under script/server), read as admin.ops
 * through the gateway: what a recipient would have received.
 */
final class Mailbox {

    private final Api admin = Platform.as(DemoUsers.ADMIN);
    private final String recipient;

    Mailbox(String recipient) {
        this.recipient = recipient;
    }

    /** Waits for the newest email whose subject contains this; fails after 60 s. */
    Email awaitEmail(String subjectPart) {
        AtomicReference<JsonNode> found = new AtomicReference<>();
        await("an email '…" + subjectPart + "…' to " + recipient).atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(500)).until(() -> {
                    Api.Response page = admin.get("/api/mailbox?limit=50&recipient="
                            + URLEncoder.encode(recipient, StandardCharsets.UTF_8));
                    assertThat(page.status()).as("mailbox: %s", page.body()).isEqualTo(200);
                    StreamSupport.stream(page.body().path("emails").spliterator(), false)
                            .filter(email -> email.path("subject").asText().contains(subjectPart))
                            .findFirst().ifPresent(found::set);
                    return found.get() != null;
                });
        return new Email(found.get());
    }

    /** One stored email. */
    record Email(JsonNode json) {

        String subject() {
            return json.path("subject").asText();
        }

        String text() {
            return json.path("text").asText();
        }

        /** The attached iCalendar invitation, decoded. */
        String invitation() {
            JsonNode calendar = StreamSupport.stream(json.path("attachments").spliterator(), false)
                    .filter(attachment -> attachment.path("contentType").asText().startsWith("text/calendar"))
                    .findFirst().orElseThrow(() -> new AssertionError("no calendar invitation in '" + subject() + "'"));
            return new String(Base64.getDecoder().decode(calendar.path("content").asText()), StandardCharsets.UTF_8);
        }

        /** One property of the invitation's event or calendar, e.g. {@code UID}, {@code METHOD}, {@code SEQUENCE}. */
        String invitationProperty(String name) {
            return invitation().lines().filter(line -> line.startsWith(name + ":") || line.startsWith(name + ";"))
                    .map(line -> line.substring(line.indexOf(':') + 1)).findFirst()
                    .orElseThrow(() -> new AssertionError("no " + name + " in the invitation of '" + subject() + "'"));
        }
    }
}
