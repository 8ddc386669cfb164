package org.nhsv2.payment.stripe;

import java.util.Optional;
import java.util.UUID;

/** Finds the transaction a Stripe object belongs to when the object carries no metadata of ours. */
public interface TransactionLookup {

    Optional<UUID> byPaymentIntent(String paymentIntentId);
}
