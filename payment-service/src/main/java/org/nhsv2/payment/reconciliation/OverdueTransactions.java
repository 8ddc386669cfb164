package org.nhsv2.payment.reconciliation;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Transactions that waited too long for Stripe: a checkout open past its expiry, a refund not yet taken, a refund taken
 * as pending and not settled since.
 */
public interface OverdueTransactions {

    List<UUID> overdue(Instant checkoutExpiredBefore, Instant refundRequestedBefore, Instant refundSubmittedBefore,
                       int limit);
}
