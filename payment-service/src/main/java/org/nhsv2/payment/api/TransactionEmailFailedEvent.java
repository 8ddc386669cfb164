package org.nhsv2.payment.api;

import org.axonframework.serialization.Revision;
import org.nhsv2.platform.api.EncryptedText;

import java.util.UUID;

/** The provider's reason may name the recipient, so it is sealed with the patient's key. */
@Revision("1")
public record TransactionEmailFailedEvent(UUID transactionId, UUID requestId, TransactionEmail template, EncryptedText reason,
                                          boolean permanent) {}
