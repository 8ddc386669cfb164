package org.nhsv2.payment.command;

import org.nhsv2.payment.api.TransactionInitiatedEvent;
import org.nhsv2.platform.eventstore.FieldAddedUpcaster;
import org.springframework.stereotype.Component;

/**
 * Checkouts started before their start was kept (revision 1) read as revision 2 without it: they may be opened whenever
 * asked, as they could.
 */
@Component
class TransactionInitiatedEventUpcaster extends FieldAddedUpcaster {

    TransactionInitiatedEventUpcaster() {
        super(TransactionInitiatedEvent.class, "1", "2", "initiatedAt");
    }
}
