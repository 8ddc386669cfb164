package org.nhsv2.notification.sendgrid;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.nhsv2.notification.email.Delivery;
import org.nhsv2.notification.email.EmailProviderUnavailableException;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What SendGrid's answer to {@code POST /v3/mail/send} means for the email: 2xx taken on (its id in
 * {@code X-Message-Id}); 408, 429 and 5xx not now, so retry later; 401 and 403 (our key or our sender
 * refused) not now either: that is our configuration's fault, not the email's, and the email goes once it
 * is put right; any other 4xx (bad request, too large) refused for good, with SendGrid's own reason minus
 * the recipient's address.
 */
final class SendGridResponses {

    static final String MESSAGE_ID_HEADER = "X-Message-Id";
    private static final int MAX_REASON_LENGTH = 500;
    private static final ObjectMapper JSON = new ObjectMapper();

    private SendGridResponses() {
    }

    static Delivery delivery(int status, Map<String, String> headers, String body, String recipient) {
        if (status >= 200 && status < 300) {
            return new Delivery.Accepted(header(headers, MESSAGE_ID_HEADER));
        }
        if (refusesOurAccount(status)) {
            throw new EmailProviderUnavailableException("SendGrid refused the API key or the sender (" + status
                    + "); the email is tried again later");
        }
        if (status == 408 || status == 429 || status >= 500 || status < 400) {
            throw new EmailProviderUnavailableException("SendGrid answered " + status + "; the email is tried again later");
        }
        return new Delivery.Refused(reason(status, body, recipient));
    }

    /** 401 (the API key is wrong, revoked or rotated) or 403 (the key may not send, or the sender is not verified). */
    static boolean refusesOurAccount(int status) {
        return status == 401 || status == 403;
    }

    /** "SendGrid refused the email (400): Does not contain a valid address: [recipient]" */
    static String reason(int status, String body, String recipient) {
        return reason("SendGrid refused the email", status, body, recipient);
    }

    /** "SendGrid refused the API key or the sender (403): The from address does not match a verified Sender Identity." */
    static String accountRefusal(int status, String body, String recipient) {
        return reason("SendGrid refused the API key or the sender", status, body, recipient);
    }

    private static String reason(String what, int status, String body, String recipient) {
        List<String> messages = errorMessages(body);
        String reason = what + " (" + status + ")"
                + (messages.isEmpty() ? "" : ": " + String.join("; ", messages));
        if (recipient != null && !recipient.isEmpty()) {
            reason = Pattern.compile(Pattern.quote(recipient), Pattern.CASE_INSENSITIVE).matcher(reason)
                    .replaceAll(Matcher.quoteReplacement("[recipient]"));
        }
        return reason.length() <= MAX_REASON_LENGTH ? reason : reason.substring(0, MAX_REASON_LENGTH - 1) + "…";
    }

    /** SendGrid's error body: {@code {"errors": [{"message": ..., "field": ..., "help": ...}]}}. */
    private static List<String> errorMessages(String body) {
        List<String> messages = new ArrayList<>();
        if (body == null || body.isBlank()) {
            return messages;
        }
        try {
            for (JsonNode error : JSON.readTree(body).path("errors")) {
                String message = error.path("message").asText("").strip();
                if (!message.isEmpty()) {
                    messages.add(message);
                }
            }
        } catch (IOException notJson) {
            // a proxy's page, not SendGrid's JSON: the status says enough
        }
        return messages;
    }

    /** Header names compare case-insensitively; the HTTP client keeps them as the server spelled them. */
    private static String header(Map<String, String> headers, String name) {
        if (headers == null) {
            return null;
        }
        return headers.entrySet().stream().filter(header -> header.getKey().equalsIgnoreCase(name))
                .map(Map.Entry::getValue).findFirst().orElse(null);
    }
}
