package org.nhsv2.notification.sendgrid;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nhsv2.notification.email.Delivery;
import org.nhsv2.notification.email.EmailProviderUnavailableException;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SendGridResponsesTest {

    private static final String RECIPIENT = "pat.one@example.test";

    @Test
    void shouldTakeTheProvidersIdWhenSendGridAcceptsTheEmail() {
        Delivery delivery = SendGridResponses.delivery(202, Map.of("x-message-id", "14c5d75ce93.dfd.64b469"), "", RECIPIENT);

        assertThat(delivery).isEqualTo(new Delivery.Accepted("14c5d75ce93.dfd.64b469"));
    }

    @Test
    void shouldAcceptWithoutAnIdWhenSendGridGivesNone() {
        assertThat(SendGridResponses.delivery(200, Map.of(), null, RECIPIENT)).isEqualTo(new Delivery.Accepted(null));
    }

    @ParameterizedTest
    @ValueSource(ints = {408, 429, 500, 502, 503, 504, 302})
    void shouldAskForALaterTryWhenSendGridCannotTakeTheEmailNow(int status) {
        assertThatThrownBy(() -> SendGridResponses.delivery(status, Map.of(), "{\"errors\":[]}", RECIPIENT))
                .isInstanceOf(EmailProviderUnavailableException.class)
                .hasMessageContaining(String.valueOf(status));
    }

    // 401 and 403 were refusals for good once: every email of a revoked key's or unverified sender's time
    // failed for good and was never asked for again. They are our configuration's fault, not the email's.
    @ParameterizedTest
    @ValueSource(ints = {401, 403})
    void shouldAskForALaterTryWhenSendGridRefusesOurKeyOrSender(int status) {
        assertThatThrownBy(() -> SendGridResponses.delivery(status, Map.of(),
                "{\"errors\":[{\"message\":\"The provided authorization grant is invalid, expired, or revoked\","
                        + "\"field\":null,\"help\":null}]}", RECIPIENT))
                .isInstanceOf(EmailProviderUnavailableException.class)
                .hasMessage("SendGrid refused the API key or the sender (" + status + "); the email is tried again later");
    }

    @ParameterizedTest
    @ValueSource(ints = {400, 404, 413})
    void shouldRefuseForGoodWhenSendGridRefusesTheRequest(int status) {
        Delivery delivery = SendGridResponses.delivery(status, Map.of(),
                "{\"errors\":[{\"message\":\"The request is not valid\",\"field\":null,\"help\":null}]}", RECIPIENT);

        assertThat(delivery).isEqualTo(new Delivery.Refused("SendGrid refused the email (" + status
                + "): The request is not valid"));
    }

    @Test
    void shouldNameKeyOrSenderAndHideTheAddressWhenSendGridRefusesOurAccount() {
        String body = "{\"errors\":[{\"message\":\"The from address does not match a verified Sender Identity;"
                + " not sent to pat.one@example.test\",\"field\":\"from\"}]}";

        assertThat(SendGridResponses.accountRefusal(403, body, RECIPIENT)).isEqualTo("SendGrid refused the API key or"
                + " the sender (403): The from address does not match a verified Sender Identity; not sent to [recipient]");
    }

    @Test
    void shouldJoinSendGridsMessagesAndHideTheAddressWhenItIsNamed() {
        String body = """
                {"errors":[
                  {"message":"Does not contain a valid address: PAT.ONE@example.test","field":"personalizations.0.to.0.email"},
                  {"message":"The subject is required.","field":"subject"}]}""";

        String reason = SendGridResponses.reason(400, body, RECIPIENT);

        assertThat(reason).isEqualTo("SendGrid refused the email (400): Does not contain a valid address: [recipient];"
                + " The subject is required.");
    }

    @Test
    void shouldGiveTheStatusWhenTheBodyIsNotSendGridsJson() {
        assertThat(SendGridResponses.reason(413, "<html>Request Entity Too Large</html>", RECIPIENT))
                .isEqualTo("SendGrid refused the email (413)");
    }

    @Test
    void shouldShortenTheReasonWhenSendGridSaysALot() {
        String body = "{\"errors\":[{\"message\":\"" + "x".repeat(2000) + "\"}]}";

        assertThat(SendGridResponses.reason(400, body, RECIPIENT)).hasSize(500).endsWith("…");
    }
}
