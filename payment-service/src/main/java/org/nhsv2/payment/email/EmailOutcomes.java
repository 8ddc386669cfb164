package org.nhsv2.payment.email;

import org.axonframework.commandhandling.CommandExecutionException;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.nhsv2.contracts.EmailDelivered;
import org.nhsv2.contracts.EmailFailed;
import org.nhsv2.payment.api.PaymentError;
import org.nhsv2.payment.api.RecordEmailDeliveredCommand;
import org.nhsv2.payment.api.RecordEmailFailedCommand;
import org.nhsv2.platform.api.Rejection;
import org.nhsv2.platform.messaging.MessagingTopology;
import org.nhsv2.platform.problem.Rejections;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.rabbit.annotation.RabbitHandler;
import org.springframework.amqp.rabbit.annotation.RabbitListener;
import org.springframework.stereotype.Component;

import java.util.UUID;

/**
 * notification-service's answers to this service's email requests, recorded on their transaction (the
 * request's correlation id). The transaction records each answer once, so a redelivered message changes
 * nothing. An answer no transaction of ours asked for cannot become right by trying again: it is
 * acknowledged and dropped with a log line. Anything else fails the message, which the listener retries
 * and at last dead-letters.
 */
@Component
@RabbitListener(queues = MessagingTopology.PAYMENT_EMAIL_OUTCOMES)
class EmailOutcomes {

    private static final Logger log = LoggerFactory.getLogger(EmailOutcomes.class);
    /** Answers no transaction of ours asked for: trying again cannot make them right. */
    private static final PaymentError[] NOT_OURS = {PaymentError.TRANSACTION_NOT_FOUND, PaymentError.UNKNOWN_EMAIL_REQUEST};

    private final CommandGateway commands;

    EmailOutcomes(CommandGateway commands) {
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

    private void record(Object command, UUID transactionId, UUID requestId) {
        try {
            commands.sendAndWait(command);
        } catch (CommandExecutionException e) {
            Rejection notOurs = Rejections.asAnyOf(e, NOT_OURS).orElseThrow(() -> e);
            log.warn("Dropped an answer for email request {} of transaction {}: {}", requestId, transactionId,
                    notOurs.title());
        }
    }
}
