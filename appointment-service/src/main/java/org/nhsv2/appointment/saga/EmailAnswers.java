package org.nhsv2.appointment.saga;

import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.nhsv2.appointment.api.RecordEmailDeliveredCommand;
import org.nhsv2.appointment.api.RecordEmailFailedCommand;
import org.nhsv2.contracts.EmailDelivered;
import org.nhsv2.contracts.EmailFailed;
import org.nhsv2.platform.messaging.MessagingTopology;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.rabbit.annotation.RabbitHandler;
import org.springframework.amqp.rabbit.annotation.RabbitListener;
import org.springframework.stereotype.Component;

/**
 * notification-service's answers to this service's email requests, recorded on their appointment
 * (the acknowledgement the original system sent back). The message is acknowledged to the broker
 * only after the command's event is stored; a repeated answer records nothing new.
 */
@Component
@RabbitListener(queues = MessagingTopology.APPOINTMENT_EMAIL_OUTCOMES)
class EmailAnswers {

    private static final Logger log = LoggerFactory.getLogger(EmailAnswers.class);

    private final CommandGateway commands;

    EmailAnswers(CommandGateway commands) {
        this.commands = commands;
    }

    @RabbitHandler
    void on(EmailDelivered delivered) {
        record(new RecordEmailDeliveredCommand(delivered.correlationId(), delivered.requestId(),
                delivered.providerMessageId(), delivered.deliveredAt()));
    }

    @RabbitHandler
    void on(EmailFailed failed) {
        record(new RecordEmailFailedCommand(failed.correlationId(), failed.requestId(), failed.reason(), failed.permanent()));
    }

    private void record(Object command) {
        try {
            commands.sendAndWait(command);
        } catch (AggregateNotFoundException unknown) {
            // Not one of ours (or from a wiped store): retrying cannot help.
            log.warn("Dropped an email answer for an unknown appointment: {}", unknown.getMessage());
        }
    }
}
