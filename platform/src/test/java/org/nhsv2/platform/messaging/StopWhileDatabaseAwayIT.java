package org.nhsv2.platform.messaging;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.nhsv2.contracts.PatientPersonalDataErased;
import org.springframework.amqp.core.AmqpAdmin;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.rabbit.annotation.RabbitListener;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.autoconfigure.amqp.RabbitAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.stereotype.Component;

import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A service stopped while a message waits for its database (an operator restarting it during an outage): the
 * message must go back to its queue for the next instance, not to the dead letters, and no thread of the stopped
 * service may go on trying it. Two applications on the real RabbitMQ: a service whose consumer always meets its
 * database away, stopped mid-wait, and a bystander that only looks at the queues.
 */
class StopWhileDatabaseAwayIT {

    private static final String QUEUE = MessagingTopology.NOTIFICATION_PATIENT_ERASURES;

    @SpringBootConfiguration
    @ImportAutoConfiguration({RabbitAutoConfiguration.class, MessagingAutoConfiguration.class})
    static class Bystander {
    }

    @SpringBootConfiguration
    @ImportAutoConfiguration({RabbitAutoConfiguration.class, MessagingAutoConfiguration.class})
    @Import(AwayConsumer.class)
    static class Service {
    }

    /** A consumer whose database is away for as long as the test lasts. */
    @Component
    static class AwayConsumer {

        static final AtomicInteger ATTEMPTS = new AtomicInteger();

        @RabbitListener(queues = QUEUE)
        void on(PatientPersonalDataErased erased) {
            ATTEMPTS.incrementAndGet();
            throw new CannotGetJdbcConnectionException("Failed to obtain JDBC Connection",
                    new SQLTransientConnectionException("Connection is not available, request timed out"));
        }
    }

    private ConfigurableApplicationContext bystander;

    @BeforeEach
    void startTheBystanderOnEmptyQueues() {
        bystander = start(Bystander.class);
        AmqpAdmin admin = bystander.getBean(AmqpAdmin.class);
        admin.purgeQueue(QUEUE, false);
        admin.purgeQueue(MessagingTopology.deadLetters(QUEUE), false);
    }

    @AfterEach
    void stopTheBystander() {
        bystander.close();
    }

    @Test
    void shouldPutAWaitingMessageBackOnItsQueueWhenTheServiceStops() {
        ConfigurableApplicationContext service = start(Service.class);
        UUID patient = UUID.randomUUID();
        bystander.getBean(IntegrationMessages.class).publish(new PatientPersonalDataErased(patient, Instant.now()));
        await().atMost(Duration.ofSeconds(20)).until(() -> AwayConsumer.ATTEMPTS.get() >= 3);

        service.close();

        int attemptsWhenStopped = AwayConsumer.ATTEMPTS.get();
        RabbitTemplate rabbit = bystander.getBean(RabbitTemplate.class);
        assertThat(rabbit.receive(MessagingTopology.deadLetters(QUEUE), 1_000)).as("dead-lettered").isNull();
        Message back = rabbit.receive(QUEUE, 5_000);
        assertThat(back).as("back on its queue").isNotNull();
        assertThat(((PatientPersonalDataErased) rabbit.getMessageConverter().fromMessage(back)).patientId())
                .isEqualTo(patient);
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(3))
                .untilAsserted(() -> assertThat(AwayConsumer.ATTEMPTS.get()).as("tries after the stop")
                        .isEqualTo(attemptsWhenStopped));
    }

    private static ConfigurableApplicationContext start(Class<?> application) {
        // As arguments: above the platform's defaults, as a test's own properties would be.
        return new SpringApplicationBuilder(application).web(WebApplicationType.NONE).run(
                "--spring.application.name=stop-while-database-away-test",
                "--spring.rabbitmq.virtual-host=nhsv2_test_platform",
                "--spring.rabbitmq.password=${NHSV2_RABBITMQ_PASSWORD:fake-local-rabbitmq-password}",
                "--spring.rabbitmq.listener.simple.retry.initial-interval=50ms",
                "--spring.rabbitmq.listener.simple.retry.max-interval=200ms");
    }
}
