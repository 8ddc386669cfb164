package org.nhsv2.payment.api;

import java.util.UUID;

/** Newest first; {@code status} optional. */
public record FindFacilityTransactionsQuery(UUID facilityId, TransactionStatus status, int page, int size) {}
