package org.nhsv2.payment.command;

import org.nhsv2.payment.api.RefundRecordedEvent;
import org.nhsv2.platform.eventstore.FieldAddedUpcaster;
import org.springframework.stereotype.Component;

/**
 * Refunds made at Stripe directly that were stored before the payment they give back was kept (revision 1) read as
 * revision 2 without it: not known to give back another payment, they stay counted, as they were.
 */
@Component
class RefundRecordedEventUpcaster extends FieldAddedUpcaster {

    RefundRecordedEventUpcaster() {
        super(RefundRecordedEvent.class, "1", "2", "paymentIntentId");
    }
}
