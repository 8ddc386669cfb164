package org.nhsv2.notification.web;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nhsv2.contracts.EmailDelivered;
import org.nhsv2.contracts.EmailRequested;
import org.nhsv2.notification.NotificationIntegrationTest;
import org.nhsv2.platform.testing.Api;
import org.nhsv2.platform.testing.DemoUsers;

import java.util.List;
import java.util.Locale;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.nhsv2.contracts.EmailTemplate.APPOINTMENT_CONFIRMATION;
import static org.nhsv2.contracts.EmailTemplate.APPOINTMENT_REMINDER;
import static org.nhsv2.contracts.EmailTemplate.PAYMENT_LINK;
import static org.nhsv2.notification.EmailRequestFixtures.INVITATION_TYPE;
import static org.nhsv2.notification.EmailRequestFixtures.request;

/** {@code GET /api/mailbox}: what an operator reads while no SendGrid key is configured. */
class MailboxIT extends NotificationIntegrationTest {

    @Test
    void shouldListTheRecipientsEmailsNewestFirstWhenAnAdminAsks() {
        String recipient = "mailbox." + UUID.randomUUID().toString().substring(0, 8) + "@example.test";
        List<EmailRequested> requests = List.of(request(APPOINTMENT_CONFIRMATION).recipient(recipient).invitation().build(),
                request(APPOINTMENT_REMINDER).recipient(recipient).build(),
                request(PAYMENT_LINK).recipient(recipient).build());
        requests.forEach(this::publish);
        requests.forEach(request -> assertThat(awaitAnswer(request.requestId())).isInstanceOf(EmailDelivered.class));

        Api.Response response = as(DemoUsers.ADMIN).get("/api/mailbox?recipient=" + recipient.toUpperCase(Locale.ROOT)
                + "&limit=2");

        assertThat(response.status()).isEqualTo(200);
        JsonNode emails = response.body().path("emails");
        assertThat(emails).hasSize(2);
        assertThat(emails.get(0).path("requestId").asText()).isEqualTo(requests.get(2).requestId().toString());
        assertThat(emails.get(0).path("subject").asText()).isEqualTo("Your payment link for £70.00");
        assertThat(emails.get(1).path("requestId").asText()).isEqualTo(requests.get(1).requestId().toString());
        assertThat(emails.get(1).path("recipient").asText()).isEqualTo(recipient);
        assertThat(emails.get(1).path("patientId").asText()).isEqualTo(requests.get(1).patientId().toString());
        assertThat(emails.get(1).path("text").asText()).startsWith("Dear Pat One,");
        assertThat(emails.get(1).path("html").asText()).contains("<p>Dear <span>Pat One</span>,</p>");
        assertThat(emails.get(1).path("storedAt").asText()).isNotBlank();

        JsonNode all = as(DemoUsers.ADMIN).get("/api/mailbox?recipient=" + recipient).body().path("emails");
        assertThat(all).hasSize(3);
        assertThat(all.get(2).path("attachments").get(0).path("contentType").asText()).isEqualTo(INVITATION_TYPE);
        assertThat(all.get(2).path("attachments").get(0).path("fileName").asText()).isEqualTo("invitation.ics");
    }

    @Test
    void shouldAnswerAnEmptyListWhenTheRecipientHasNoEmails() {
        Api.Response response = as(DemoUsers.ADMIN).get("/api/mailbox?recipient=nobody@example.test");

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.body().path("emails")).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {DemoUsers.ALICE, DemoUsers.PAT_ONE})
    void shouldRefuseWhenTheCallerIsNotAnAdmin(String username) {
        Api.Response response = as(username).get("/api/mailbox?recipient=pat.one@example.test");

        assertThat(response.status()).isEqualTo(403);
        assertThat(response.header("Content-Type")).hasValue("application/problem+json");
        assertThat(response.text("code")).isEqualTo("forbidden");
    }

    @Test
    void shouldAskForATokenWhenTheCallerIsAnonymous() {
        Api.Response response = Api.anonymous(port).get("/api/mailbox?recipient=pat.one@example.test");

        assertThat(response.status()).isEqualTo(401);
        assertThat(response.text("code")).isEqualTo("unauthenticated");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "?recipient=", "?recipient=%20%20", "?limit=5", "?recipient=a@b.io&limit=0",
            "?recipient=a@b.io&limit=101", "?recipient=a@b.io&limit=ten"})
    void shouldAnswerBadRequestWhenTheQueryIsInvalid(String query) {
        Api.Response response = as(DemoUsers.ADMIN).get("/api/mailbox" + query);

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.header("Content-Type")).hasValue("application/problem+json");
        assertThat(response.text("code")).isEqualTo("invalid-request");
    }

    @Test
    void shouldAnswerBadRequestWhenTheRecipientIsTooLong() {
        Api.Response response = as(DemoUsers.ADMIN).get("/api/mailbox?recipient=" + "a".repeat(250) + "@b.io");

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.text("code")).isEqualTo("invalid-request");
        assertThat(response.text("detail")).contains("recipient");
    }
}
