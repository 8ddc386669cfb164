package org.nhsv2.appointment.saga;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.nhsv2.appointment.IntegrationTest;
import org.nhsv2.contracts.Contract;
import org.nhsv2.contracts.EmailRequested;
import org.nhsv2.platform.messaging.MessagingTopology;
import org.springframework.amqp.core.AnonymousQueue;
import org.springframework.amqp.core.BindingBuilder;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.core.TopicExchange;
import org.springframework.amqp.rabbit.core.RabbitAdmin;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.nhsv2.platform.testing.DemoUsers.ALICE;
import static org.nhsv2.platform.testing.DemoUsers.RIVERSIDE;

/**
 * No one answers: the persistent deadline (db-scheduler, in PostgreSQL) asks again with the same
 * request, then records the failure on the appointment as the service's doing, not the doctor's.
 */
@TestPropertySource(properties = {
        "nhsv2.confirmation.acknowledgement-timeout=2s",
        "nhsv2.confirmation.max-requests=2",
        "db-scheduler.polling-interval=500ms"})
class UnansweredEmailIT extends IntegrationTest {

    @Autowired
    private RabbitTemplate rabbit;
    @Autowired
    private RabbitAdmin admin;

    @Test
    void shouldAskAgainWithTheSameRequestThenRecordTheFailureAsTheServices() {
        Queue requests = new AnonymousQueue();
        admin.declareQueue(requests);
        admin.declareBinding(BindingBuilder.bind(requests).to(new TopicExchange(MessagingTopology.EXCHANGE))
                .with(Contract.EMAIL_REQUESTED.routingKey()));
        try {
            UUID appointment = UUID.fromString(as(ALICE).post("/api/appointments",
                    booking(RIVERSIDE, UUID.randomUUID(), freeSlot())).text("appointmentId"));

            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(
                    as(ALICE).get("/api/appointments/" + appointment).text("emailFailure"))
                    .isEqualTo("no acknowledgement after 2 requests"));

            List<EmailRequested> asked = new ArrayList<>();
            Object message;
            while ((message = rabbit.receiveAndConvert(requests.getName())) != null) {
                if (message instanceof EmailRequested request && request.correlationId().equals(appointment)) {
                    asked.add(request);
                }
            }
            // At least the first request and one more, all the same request. (Exactly two in one service;
            // an earlier test's cached context in this JVM shares Axon's node id and may run the saga too.)
            assertThat(asked).hasSizeGreaterThanOrEqualTo(2).extracting(EmailRequested::requestId).containsOnly(
                    asked.get(0).requestId());
            JsonNode failure = as(ALICE).get("/api/appointments/" + appointment + "/history").body().path("entries").get(1);
            assertThat(failure.path("type").asText()).isEqualTo("ConfirmationFailed");
            assertThat(failure.path("actorId").isNull()).as("the service's doing: %s", failure).isTrue();
        } finally {
            admin.deleteQueue(requests.getName());
        }
    }
}
