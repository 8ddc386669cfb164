package org.nhsv2.payment.erasure;

import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.messaging.MetaData;
import org.nhsv2.contracts.Contract;
import org.nhsv2.contracts.PatientPersonalDataErased;
import org.nhsv2.platform.api.ErasePatientPersonalDataCommand;
import org.nhsv2.platform.api.ErasureBasis;
import org.nhsv2.platform.api.PersonalDataErasureReport;
import org.nhsv2.platform.messaging.MessagingTopology;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.rabbit.annotation.RabbitListener;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * A patient's personal data was erased where it is answered (the appointment service): the same erasure
 * as this service's own {@code DELETE /api/patients/{id}/personal-data}, so the patient's key is
 * destroyed, every sealed field reads "[erased]" and the erasure is recorded as an event whose trace id
 * names the message, with the ground and reference the appointment service recorded. Each message acts once: its id is remembered in the erasure's
 * own transaction, so a redelivery neither records a second erasure nor destroys a key the patient was
 * given after this one.
 */
@Component
class PatientErasures {

    private static final Logger log = LoggerFactory.getLogger(PatientErasures.class);
    /** Axon's name for the message that started a chain, which its correlation data copies onto every event. */
    private static final String TRACE_ID = "traceId";

    private final CommandGateway commands;
    private final TransactionTemplate transactions;
    private final JdbcTemplate jdbc;

    PatientErasures(CommandGateway commands, TransactionTemplate transactions, JdbcTemplate jdbc) {
        this.commands = commands;
        this.transactions = transactions;
        this.jdbc = jdbc;
    }

    @RabbitListener(queues = MessagingTopology.PAYMENT_PATIENT_ERASURES)
    void on(PatientPersonalDataErased erased) {
        String messageId = Contract.PATIENT_PERSONAL_DATA_ERASED.messageId(erased);
        transactions.executeWithoutResult(status -> {
            if (!firstTime(messageId, erased)) {
                log.info("Erasure {} was already carried out here; nothing more to do", messageId);
                return;
            }
            // Joins this transaction: the erasure and the remembered message id commit together.
            // The ground as the appointment service recorded it: none from an older version, or one only a newer knows.
            PersonalDataErasureReport report = commands.sendAndWait(new ErasePatientPersonalDataCommand(erased.patientId(),
                            ErasureBasis.named(erased.basis()).orElse(null), erased.reference()),
                    MetaData.with(TRACE_ID, messageId));
            log.info("Erasure {}: patient {}'s data key {}", messageId, erased.patientId(),
                    report.dataKeyDestroyed() ? "destroyed" : "was already gone");
        });
    }

    private boolean firstTime(String messageId, PatientPersonalDataErased erased) {
        return jdbc.update("insert into handled_erasure (message_id, patient_id) values (?, ?) on conflict do nothing",
                messageId, erased.patientId()) == 1;
    }
}
