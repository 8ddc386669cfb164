package org.nhsv2.payment.api;

import org.axonframework.serialization.Revision;
import org.nhsv2.platform.api.EncryptedText;

import java.util.UUID;

/** The reason is sealed with the patient's key; the amount counts as taken until the refund settles. */
@Revision("1")
public record RefundRequestedEvent(UUID transactionId, UUID refundId, long amount, EncryptedText reason) {}
