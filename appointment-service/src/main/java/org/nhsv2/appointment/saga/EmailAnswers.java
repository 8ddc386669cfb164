package org.nhsv2.appointment.saga;

import org.axonframework.commandhandling.CommandExecutionException;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.nhsv2.appointment.api.AppointmentError;
import org.nhsv2.appointment.api.RecordEmailDeliveredCommand;
import org.nhsv2.appointment.api.RecordEmailFailedCommand;
import org.nhsv2.appointment.api.RecordEmailSupersededCommand;
import org.nhsv2.contracts.EmailDelivered;
import org.nhsv2.contracts.EmailFailed;
import org.nhsv2.contracts.EmailSuperseded;
import org.nhsv2.platform.messaging.MessagingTopology;
import org.nhsv2.platform.problem.Rejections;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.rabbit.annotation.RabbitHandler;
import org.springframework.amqp.rabbit.annotation.RabbitListener;
import org.springframework.stereotype.Component;

import java.util.UUID;

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
                delivered.providerMessageId(), delivered.deliveredAt()), delivered.correlationId(), delivered.requestId());
    }

    @RabbitHandler
    void on(EmailFailed failed) {
        record(new RecordEmailFailedCommand(failed.correlationId(), failed.requestId(), failed.reason(), failed.permanent()),
                failed.correlationId(), failed.requestId());
    }

    @RabbitHandler
    void on(EmailSuperseded superseded) {
        record(new RecordEmailSupersededCommand(superseded.correlationId(), superseded.requestId(),
                superseded.supersededBy()), superseded.correlationId(), superseded.requestId());
    }

    /**
     * An answer for an appointment this store does not hold (not one of ours, or from a wiped store) is dropped:
     * retrying cannot help. It reaches here as the platform's rejection, not as Axon's AggregateNotFoundException.
     */
    private void record(Object command, UUID appointmentId, UUID requestId) {
        try {
            commands.sendAndWait(command);
        } catch (CommandExecutionException e) {
            if (Rejections.asAnyOf(e, AppointmentError.APPOINTMENT_NOT_FOUND).isEmpty()) {
                throw e;
            }
            log.warn("Dropped the answer for email request {}: no appointment {} here", requestId, appointmentId);
        }
    }
}
