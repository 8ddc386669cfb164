package org.nhsv2.payment.api;

import org.axonframework.serialization.Revision;

import java.time.Instant;
import java.util.UUID;

@Revision("1")
public record TransactionEmailDeliveredEvent(UUID transactionId, UUID requestId, TransactionEmail template,
                                             String providerMessageId, Instant deliveredAt) {}
