package org.nhsv2.payment.catalogue;

import org.nhsv2.payment.api.ProductChangedEvent;
import org.nhsv2.platform.eventstore.FieldAddedUpcaster;
import org.springframework.stereotype.Component;

/** Product changes stored before a change had to say why (revision 1) read as revision 2 without a reason. */
@Component
class ProductChangedEventUpcaster extends FieldAddedUpcaster {

    ProductChangedEventUpcaster() {
        super(ProductChangedEvent.class, "1", "2", "reason");
    }
}
