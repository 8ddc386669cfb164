package org.nhsv2.payment.api;

import java.util.UUID;

public record FindTransactionQuery(UUID transactionId) {}
