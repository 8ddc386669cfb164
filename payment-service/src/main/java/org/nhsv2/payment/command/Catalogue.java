package org.nhsv2.payment.command;

import java.util.Collection;
import java.util.Map;
import java.util.UUID;

/** The products a transaction can be made of, as they are now: the transaction takes a snapshot. */
public interface Catalogue {

    Map<UUID, Product> find(Collection<UUID> productIds);

    record Product(UUID productId, String name, long unitAmount, String currency, boolean active) {
    }
}
