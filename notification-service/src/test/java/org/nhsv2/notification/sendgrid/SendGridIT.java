package org.nhsv2.notification.sendgrid;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.matching.RequestPatternBuilder;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.nhsv2.contracts.EmailDelivered;
import org.nhsv2.contracts.EmailFailed;
import org.nhsv2.contracts.EmailRequested;
import org.nhsv2.contracts.EmailSuperseded;
import org.nhsv2.notification.NotificationIntegrationTest;
import org.nhsv2.platform.messaging.MessagingTopology;
import org.nhsv2.platform.testing.Api;
import org.nhsv2.platform.testing.DemoUsers;
import org.springframework.amqp.core.AmqpAdmin;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageDeliveryMode;
import org.springframework.amqp.core.Queue;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.nhsv2.contracts.EmailTemplate.APPOINTMENT_CANCELLED;
import static org.nhsv2.contracts.EmailTemplate.APPOINTMENT_CONFIRMATION;
import static org.nhsv2.contracts.EmailTemplate.PAYMENT_RECEIPT;
import static org.nhsv2.notification.EmailRequestFixtures.INVITATION;
import static org.nhsv2.notification.EmailRequestFixtures.INVITATION_TYPE;
import static org.nhsv2.notification.EmailRequestFixtures.PATIENT_EMAIL;
import static org.nhsv2.notification.EmailRequestFixtures.request;

/**
 * Emails through SendGrid, played by WireMock: the request sendgrid-java really makes, and what each
 * answer leads to over the real RabbitMQ. Every stub matches one email request by its id, which the
 * email carries as a custom argument.
 */
@TestPropertySource(properties = {
        "nhsv2.email.sendgrid.api-key=SG.fake-test-key",
        "nhsv2.email.sendgrid.from-address=clinic@nhsv2.example",
        "nhsv2.email.sendgrid.from-name=NHSv2 Riverside",
        "nhsv2.email.sendgrid.read-timeout=1s"})
class SendGridIT extends NotificationIntegrationTest {

    private static final WireMockServer SENDGRID = started();
    private static final String MAIL_SEND = "/v3/mail/send";
    private static final ObjectMapper JSON = new ObjectMapper();

    @Autowired
    private AmqpAdmin admin;

    @DynamicPropertySource
    static void sendGrid(DynamicPropertyRegistry registry) {
        registry.add("nhsv2.email.sendgrid.api-base", () -> "http://localhost:" + SENDGRID.port());
    }

    @AfterAll
    static void stop() {
        SENDGRID.stop();
    }

    @Test
    void shouldSendSubjectBothPartsAndTheInvitationWithTheKeyWhenSendGridIsConfigured() throws Exception {
        EmailRequested request = request(APPOINTMENT_CONFIRMATION).invitation().build();
        SENDGRID.stubFor(mailSend(request).willReturn(accepted(request)));

        publish(request);

        EmailDelivered delivered = (EmailDelivered) awaitAnswer(request.requestId());
        assertThat(delivered.providerMessageId()).isEqualTo("sg-" + request.requestId());
        LoggedRequest sent = SENDGRID.findAll(sentFor(request)).get(0);
        assertThat(sent.getHeader("Authorization")).isEqualTo("Bearer SG.fake-test-key");
        JsonNode mail = JSON.readTree(sent.getBodyAsString());
        assertThat(mail.at("/from/email").asText()).isEqualTo("clinic@nhsv2.example");
        assertThat(mail.at("/from/name").asText()).isEqualTo("NHSv2 Riverside");
        assertThat(mail.at("/personalizations/0/to").size()).isEqualTo(1);
        assertThat(mail.at("/personalizations/0/to/0/email").asText()).isEqualTo("pat.one@example.test");
        assertThat(mail.at("/subject").asText())
                .isEqualTo("Your appointment on Tuesday 1 December 2026, 09:00 (GMT) is confirmed");
        assertThat(mail.at("/content/0/type").asText()).isEqualTo("text/plain");
        assertThat(mail.at("/content/0/value").asText()).startsWith("Dear Pat One,")
                .contains("Tuesday 1 December 2026, 09:00 to 09:30 (GMT)");
        assertThat(mail.at("/content/1/type").asText()).isEqualTo("text/html");
        assertThat(mail.at("/content/1/value").asText()).contains("<p>Dear <span>Pat One</span>,</p>");
        assertThat(mail.at("/attachments").size()).isEqualTo(1);
        assertThat(mail.at("/attachments/0/filename").asText()).isEqualTo("invitation.ics");
        assertThat(mail.at("/attachments/0/type").asText()).isEqualTo(INVITATION_TYPE);
        assertThat(mail.at("/attachments/0/content").asText()).isEqualTo(INVITATION);
        assertThat(mail.at("/attachments/0/disposition").asText()).isEqualTo("attachment");
        assertThat(mail.at("/custom_args/request_id").asText()).isEqualTo(request.requestId().toString());
        assertThat(mailboxEmailsFor(request.requestId())).isZero();
    }

    @Test
    void shouldRetryRateLimitsAndOutagesThenDeliverOnceWhenSendGridRecovers() {
        EmailRequested request = request(PAYMENT_RECEIPT).build();
        String scenario = "outage " + request.requestId();
        SENDGRID.stubFor(mailSend(request).inScenario(scenario).whenScenarioStateIs(STARTED)
                .willReturn(aResponse().withStatus(429)).willSetStateTo("rate limited"));
        SENDGRID.stubFor(mailSend(request).inScenario(scenario).whenScenarioStateIs("rate limited")
                .willReturn(aResponse().withStatus(500)).willSetStateTo("recovered"));
        SENDGRID.stubFor(mailSend(request).inScenario(scenario).whenScenarioStateIs("recovered")
                .willReturn(accepted(request)));

        publish(request);

        assertThat(awaitAnswer(request.requestId())).isInstanceOf(EmailDelivered.class);
        awaitTheQueueBehind();
        assertThat(answersTo(request.requestId())).hasSize(1);
        SENDGRID.verify(3, sentFor(request));
        assertThat(acceptedCalls(request)).isEqualTo(1);
        System.out.printf("sendgrid outage: 429 then 500 injected, %d sends of one request id, %d accepted, %d answer%n",
                SENDGRID.findAll(sentFor(request)).size(), acceptedCalls(request), answersTo(request.requestId()).size());
    }

    @Test
    void shouldSendOnceMoreAfterAWaitThenDeliverWhenSendGridsAnswerIsLost() {
        EmailRequested request = request(PAYMENT_RECEIPT).build();
        String scenario = "slow " + request.requestId();
        SENDGRID.stubFor(mailSend(request).inScenario(scenario).whenScenarioStateIs(STARTED)
                .willReturn(accepted(request).withFixedDelay(3_000)).willSetStateTo("fast again"));
        SENDGRID.stubFor(mailSend(request).inScenario(scenario).whenScenarioStateIs("fast again")
                .willReturn(accepted(request)));

        publish(request);

        assertThat(awaitAnswer(request.requestId())).isInstanceOf(EmailDelivered.class);
        SENDGRID.verify(2, sentFor(request));
        assertThat(answersLost(request)).isEqualTo(1);
        System.out.printf("sendgrid timeout: 1 answer slower than the client's timeout, %d sends of one request id, %d"
                + " answer%n", SENDGRID.findAll(sentFor(request)).size(), answersTo(request.requestId()).size());
    }

    // Every answer lost was an outage once: five quick tries per wait, for up to sixty waits, each of which
    // SendGrid may have taken (15 sends here, hundreds in production) before a "try again later" answer.
    @ParameterizedTest
    @ValueSource(strings = {"slower than the read timeout", "connection reset after the request", "no answer at all"})
    void shouldSendOnceMoreThenTellTheRequesterItMayHaveBeenDeliveredWhenSendGridsAnswerIsLostEveryTime(String loss) {
        EmailRequested request = request(APPOINTMENT_CONFIRMATION).build();
        SENDGRID.stubFor(mailSend(request).willReturn(switch (loss) {
            case "slower than the read timeout" -> accepted(request).withFixedDelay(3_000);
            case "connection reset after the request" -> aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER);
            default -> aResponse().withFault(Fault.EMPTY_RESPONSE);
        }));

        publish(request);

        EmailFailed failed = new EmailFailed(request.requestId(), request.correlationId(), "the email provider's answer was"
                + " lost 2 times (no answer in time, or the connection broke after the email went out): it may have been"
                + " delivered, and is not sent again", true);
        assertThat(awaitAnswer(request.requestId())).isEqualTo(failed);
        awaitTheQueueBehind();
        SENDGRID.verify(2, sentFor(request));
        assertThat(answersTo(request.requestId())).hasSize(1);
        assertThat(answersLost(request)).isEqualTo(2);
        // The requester asking again with the same id (the saga does, after its acknowledgement timeout) sends nothing.
        publish(request);
        assertThat(awaitAnswers(request.requestId(), 2)).containsExactly(failed, failed);
        SENDGRID.verify(2, sentFor(request));
        System.out.printf("sendgrid answer lost (%s) every time: %d sends of one request id, %d answers%n", loss,
                SENDGRID.findAll(sentFor(request)).size(), answersTo(request.requestId()).size());
    }

    @Test
    void shouldAnswerFailedForGoodWithoutRetryingWhenSendGridRefusesTheEmail() {
        EmailRequested request = request(APPOINTMENT_CONFIRMATION).build();
        SENDGRID.stubFor(mailSend(request).willReturn(aResponse().withStatus(400)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"errors\":[{\"message\":\"Does not contain a valid address: pat.one@example.test\","
                        + "\"field\":\"personalizations.0.to.0.email\",\"help\":null}]}")));

        publish(request);

        assertThat(awaitAnswer(request.requestId())).isEqualTo(new EmailFailed(request.requestId(), request.correlationId(),
                "SendGrid refused the email (400): Does not contain a valid address: [recipient]", true));
        awaitTheQueueBehind();
        SENDGRID.verify(1, sentFor(request));
        assertThat(answersTo(request.requestId())).hasSize(1);
    }

    @Test
    void shouldWaitAndTryAgainWhenSendGridIsAwayLongerThanTheQuickRetriesThenSendOnce() {
        EmailRequested request = request(APPOINTMENT_CONFIRMATION).build();
        SENDGRID.stubFor(mailSend(request).willReturn(aResponse().withStatus(503)));

        publish(request);
        // The five quick retries are spent: the request waits in the "later" queue and comes back.
        await().atMost(Duration.ofSeconds(30)).until(() -> SENDGRID.findAll(sentFor(request)).size() >= 6);
        SENDGRID.stubFor(mailSend(request).willReturn(accepted(request)));

        assertThat(awaitAnswer(request.requestId())).isInstanceOf(EmailDelivered.class);
        awaitTheQueueBehind();
        assertThat(answersTo(request.requestId())).hasSize(1);
        assertThat(acceptedCalls(request)).isEqualTo(1);
        System.out.printf("sendgrid long outage: 503 until the request had waited in the later queue, %d sends of one"
                        + " request id, %d accepted, %d answer%n", SENDGRID.findAll(sentFor(request)).size(),
                acceptedCalls(request), answersTo(request.requestId()).size());
    }

    /**
     * The confirmation waits out SendGrid's outage in the later queue; meanwhile the appointment is cancelled and the
     * cancellation goes out. Come back, the confirmation is not sent: the patient's last email says it is cancelled.
     */
    @Test
    void shouldNotSendAConfirmationThatWaitedOutAnOutageAfterTheCancellationWentOut() {
        UUID appointment = UUID.randomUUID();
        EmailRequested confirmation = request(APPOINTMENT_CONFIRMATION).about(appointment).revision(0).build();
        EmailRequested cancellation = request(APPOINTMENT_CANCELLED).about(appointment).revision(1).build();
        SENDGRID.stubFor(mailSend(confirmation).willReturn(aResponse().withStatus(503)));
        SENDGRID.stubFor(mailSend(cancellation).willReturn(accepted(cancellation)));

        publish(confirmation);
        await().atMost(Duration.ofSeconds(30)).until(() -> SENDGRID.findAll(sentFor(confirmation)).size() >= 6);
        publish(cancellation);
        assertThat(awaitAnswer(cancellation.requestId())).isInstanceOf(EmailDelivered.class);
        int triedBefore = SENDGRID.findAll(sentFor(confirmation)).size();
        SENDGRID.stubFor(mailSend(confirmation).willReturn(accepted(confirmation)));

        assertThat(awaitAnswer(confirmation.requestId()))
                .isEqualTo(new EmailSuperseded(confirmation.requestId(), appointment, cancellation.requestId()));
        awaitTheQueueBehind();
        assertThat(acceptedCalls(confirmation)).isZero();
        assertThat(SENDGRID.findAll(sentFor(confirmation)).size()).isLessThanOrEqualTo(triedBefore + 5);
        assertThat(acceptedCalls(cancellation)).isEqualTo(1);
    }

    /** The cancellation went out but SendGrid's answer was lost: the patient may have it, so the older email is not sent. */
    @Test
    void shouldNotSendAnOlderEmailOnceANewerOneWentOutWithItsAnswerLost() {
        UUID appointment = UUID.randomUUID();
        EmailRequested cancellation = request(APPOINTMENT_CANCELLED).about(appointment).revision(1).build();
        EmailRequested confirmation = request(APPOINTMENT_CONFIRMATION).about(appointment).revision(0).build();
        String scenario = "lost " + cancellation.requestId();
        SENDGRID.stubFor(mailSend(cancellation).inScenario(scenario).whenScenarioStateIs(STARTED)
                .willReturn(accepted(cancellation).withFixedDelay(3_000)).willSetStateTo("fast again"));
        SENDGRID.stubFor(mailSend(cancellation).inScenario(scenario).whenScenarioStateIs("fast again")
                .willReturn(accepted(cancellation)));
        SENDGRID.stubFor(mailSend(confirmation).willReturn(accepted(confirmation)));

        publish(cancellation);
        await().atMost(DEADLINE).ignoreExceptions().until(() -> answersLost(cancellation) == 1);
        publish(confirmation);

        assertThat(awaitAnswer(confirmation.requestId()))
                .isEqualTo(new EmailSuperseded(confirmation.requestId(), appointment, cancellation.requestId()));
        assertThat(SENDGRID.findAll(sentFor(confirmation))).isEmpty();
        assertThat(awaitAnswer(cancellation.requestId())).isInstanceOf(EmailDelivered.class);
    }

    @Test
    void shouldKeepTheRequestPersistentWhenItWaitsForSendGrid() {
        EmailRequested request = request(APPOINTMENT_CONFIRMATION).build();
        SENDGRID.stubFor(mailSend(request).willReturn(aResponse().withStatus(503)));

        publish(request);

        // Taken from the later queue as it arrives, before its wait ends: a RabbitMQ restart keeps only persistent ones.
        Message waiting = rabbit.receive(MessagingTopology.NOTIFICATION_EMAIL_REQUESTS_LATER, DEADLINE.toMillis());
        assertThat(waiting).isNotNull();
        assertThat(waiting.getMessageProperties().getMessageId()).isEqualTo(request.requestId().toString());
        assertThat(waiting.getMessageProperties().getReceivedDeliveryMode()).isEqualTo(MessageDeliveryMode.PERSISTENT);
        // Back where its wait would have put it, for SendGrid that takes it now: nothing is left of it afterwards.
        SENDGRID.stubFor(mailSend(request).willReturn(accepted(request)));
        waiting.getMessageProperties().setExpiration(null);
        rabbit.send("", MessagingTopology.NOTIFICATION_EMAIL_REQUESTS, waiting);
        assertThat(awaitAnswer(request.requestId())).isInstanceOf(EmailDelivered.class);
        assertThat(acceptedCalls(request)).isEqualTo(1);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "401 | The provided authorization grant is invalid, expired, or revoked",
            "403 | The from address does not match a verified Sender Identity."})
    @ExtendWith(OutputCaptureExtension.class)
    void shouldWaitAndSendOnceWhenSendGridRefusesOurKeyOrSenderUntilThatIsPutRight(int status, String sendGridSays,
                                                                                   CapturedOutput output) {
        EmailRequested request = request(APPOINTMENT_CONFIRMATION).build();
        SENDGRID.stubFor(mailSend(request).willReturn(aResponse().withStatus(status)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"errors\":[{\"message\":\"" + sendGridSays + "\",\"field\":null,\"help\":null}]}")));

        publish(request);
        // The five quick retries are spent: the request waits in the "later" queue and comes back (unless answered).
        await().atMost(DEADLINE).until(() -> SENDGRID.findAll(sentFor(request)).size() >= 6
                || !answersTo(request.requestId()).isEmpty());
        assertThat(answersTo(request.requestId())).as("no answer, least of all a failure for good").isEmpty();
        assertThat(jdbc.sql("SELECT count(*) FROM handled_request WHERE request_id = ?").param(request.requestId())
                .query(Integer.class).single()).as("no outcome stored").isZero();
        // The operator rotates the key or verifies the sender.
        SENDGRID.stubFor(mailSend(request).willReturn(accepted(request)));

        assertThat(awaitAnswer(request.requestId())).isInstanceOf(EmailDelivered.class);
        awaitTheQueueBehind();
        assertThat(answersTo(request.requestId())).hasSize(1);
        assertThat(acceptedCalls(request)).isEqualTo(1);
        List<String> refusals = output.getOut().lines().filter(line -> line.contains("No email is sent until")).toList();
        assertThat(refusals).as("said once for the whole outage").hasSize(1);
        assertThat(refusals.get(0)).contains("ERROR", "SendGrid refused the API key or the sender (" + status + "): "
                + sendGridSays).doesNotContain(PATIENT_EMAIL, "Pat One");
        assertThat(output.getOut().lines().filter(line -> line.contains("SendGrid takes the API key and the sender again")))
                .hasSize(1);
        System.out.printf("sendgrid %d until put right: %d sends of one request id, %d accepted, %d answer, %d error"
                + " logged%n", status, SENDGRID.findAll(sentFor(request)).size(), acceptedCalls(request),
                answersTo(request.requestId()).size(), refusals.size());
    }

    @Test
    void shouldRetryAnOutageAfterALostAnswerThenDeliverOnce() {
        EmailRequested request = request(APPOINTMENT_CONFIRMATION).build();
        String scenario = "faults " + request.requestId();
        SENDGRID.stubFor(mailSend(request).inScenario(scenario).whenScenarioStateIs(STARTED)
                .willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)).willSetStateTo("reset"));
        SENDGRID.stubFor(mailSend(request).inScenario(scenario).whenScenarioStateIs("reset")
                .willReturn(aResponse().withStatus(502)).willSetStateTo("recovered"));
        SENDGRID.stubFor(mailSend(request).inScenario(scenario).whenScenarioStateIs("recovered")
                .willReturn(accepted(request)));

        publish(request);

        assertThat(awaitAnswer(request.requestId())).isInstanceOf(EmailDelivered.class);
        awaitTheQueueBehind();
        int sends = SENDGRID.findAll(sentFor(request)).size();
        assertThat(sends).isEqualTo(3);
        assertThat(acceptedCalls(request)).isEqualTo(1);
        assertThat(answersTo(request.requestId())).hasSize(1);
        assertThat(answersLost(request)).as("a 502 is SendGrid's answer, not a lost one").isEqualTo(1);
        System.out.printf("sendgrid faults: connection reset and 502 injected, %d sends of one request id,"
                + " %d accepted, %d answer%n", sends, acceptedCalls(request), answersTo(request.requestId()).size());
    }

    // MessageNotSentException out of the recoverer dead-lettered the request while the platform rejected without
    // requeueing by default (no answer, and a requester that never asked again); since the platform requeues by
    // default, thrown bare it still restarted the listener's consumer, and only that default kept the request.
    @Test
    @ExtendWith(OutputCaptureExtension.class)
    void shouldPutTheRequestBackOnItsQueueNotInTheDeadLettersWhenTheBrokerDoesNotTakeItsWait(CapturedOutput output) {
        EmailRequested request = request(APPOINTMENT_CONFIRMATION).build();
        SENDGRID.stubFor(mailSend(request).willReturn(aResponse().withStatus(503)));
        // Without the waiting queue, the mandatory publish comes back unroutable: MessageNotSentException.
        admin.deleteQueue(MessagingTopology.NOTIFICATION_EMAIL_REQUESTS_LATER);
        try {
            publish(request);

            // Five tries, its wait not taken, back on its queue and five more: it came back.
            await().atMost(DEADLINE).until(() -> SENDGRID.findAll(sentFor(request)).size() >= 10);
            assertThat(deadLetters(DEAD_LETTERS)).noneMatch(withMessageId(request.requestId().toString()));
            assertThat(answersTo(request.requestId())).isEmpty();
            assertThat(output.getOut()).as("the listener's consumer kept").doesNotContain("Consumer raised exception");
            assertThat(output.getOut()).contains("Email request " + request.requestId() + ": the broker did not take its"
                    + " wait");
        } finally {
            admin.declareQueue(MessagingTopology.declarables().getDeclarablesByType(Queue.class).stream()
                    .filter(queue -> queue.getName().equals(MessagingTopology.NOTIFICATION_EMAIL_REQUESTS_LATER))
                    .findFirst().orElseThrow());
        }
        SENDGRID.stubFor(mailSend(request).willReturn(accepted(request)));

        assertThat(awaitAnswer(request.requestId())).isInstanceOf(EmailDelivered.class);
        awaitTheQueueBehind();
        assertThat(answersTo(request.requestId())).hasSize(1);
        assertThat(acceptedCalls(request)).isEqualTo(1);
        assertThat(deadLetters(DEAD_LETTERS)).noneMatch(withMessageId(request.requestId().toString()));
    }

    @Test
    void shouldTellTheRequesterAndDeadLetterWhenSendGridStaysAwayForEveryWait() {
        EmailRequested request = request(APPOINTMENT_CONFIRMATION).build();
        SENDGRID.stubFor(mailSend(request).willReturn(aResponse().withStatus(500)));

        publish(request);

        Message deadLetter = awaitDeadLetter(DEAD_LETTERS, withMessageId(request.requestId().toString()));
        // 5 quick tries, then 2 waits of 5 tries each (nhsv2.email.later.max-waits=2 in the tests)
        SENDGRID.verify(15, sentFor(request));
        assertThat(deadLetter.getMessageProperties().getReceivedDeliveryMode())
                .as("persistent as published, after two waits and the dead-lettering")
                .isEqualTo(MessageDeliveryMode.PERSISTENT);
        assertThat(awaitAnswer(request.requestId())).isInstanceOf(EmailFailed.class)
                .satisfies(answer -> assertThat(((EmailFailed) answer).permanent()).isFalse());
        assertThat(answersTo(request.requestId())).hasSize(1);
        assertThat(jdbc.sql("SELECT count(*) FROM handled_request WHERE request_id = ?").param(request.requestId())
                .query(Integer.class).single()).as("nothing committed for a request that was never handled").isZero();
    }

    @Test
    void shouldAnswerNotFoundForTheMailboxWhenSendGridIsConfigured() {
        Api.Response response = as(DemoUsers.ADMIN).get("/api/mailbox?recipient=pat.one@example.test");

        assertThat(response.status()).isEqualTo(404);
        assertThat(response.header("Content-Type")).hasValue("application/problem+json");
        assertThat(response.text("code")).isEqualTo("mailbox-disabled");
    }

    /**
     * One more request through the same queue and its single consumer, answered only after every
     * message before it was settled: afterwards nothing more can come of an earlier request.
     */
    private void awaitTheQueueBehind() {
        EmailRequested next = request(PAYMENT_RECEIPT).build();
        SENDGRID.stubFor(mailSend(next).willReturn(accepted(next)));
        publish(next);
        awaitAnswer(next.requestId());
    }

    private int answersLost(EmailRequested request) {
        return jdbc.sql("SELECT answers_lost FROM handled_request WHERE request_id = ?").param(request.requestId())
                .query(Integer.class).single();
    }

    private long acceptedCalls(EmailRequested request) {
        return SENDGRID.getAllServeEvents().stream()
                .filter(event -> event.getRequest().getBodyAsString().contains(request.requestId().toString()))
                .filter(event -> event.getResponse().getStatus() == 202)
                .count();
    }

    private static MappingBuilder mailSend(EmailRequested request) {
        return post(MAIL_SEND).withRequestBody(matchingJsonPath("$.custom_args.request_id",
                equalTo(request.requestId().toString())));
    }

    private static RequestPatternBuilder sentFor(EmailRequested request) {
        return postRequestedFor(com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo(MAIL_SEND))
                .withRequestBody(matchingJsonPath("$.custom_args.request_id", equalTo(request.requestId().toString())));
    }

    private static ResponseDefinitionBuilder accepted(EmailRequested request) {
        return aResponse().withStatus(202).withHeader("X-Message-Id", "sg-" + request.requestId());
    }

    private static WireMockServer started() {
        WireMockServer server = new WireMockServer(options().dynamicPort());
        server.start();
        return server;
    }

}
