package org.nhsv2.payment.api;

import org.axonframework.serialization.Revision;
import org.nhsv2.platform.api.EncryptedText;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Personal data is sealed with the patient's key. {@code initiatedAt} is the service's clock when the checkout started,
 * from which it may be opened for a checkout's lifetime; {@code null} in revision 1's events, stored before it was
 * kept ({@code TransactionInitiatedEventUpcaster}): such a checkout is not held to it.
 */
@Revision("2")
public record TransactionInitiatedEvent(UUID transactionId, UUID facilityId, UUID patientId, EncryptedText patientName,
        EncryptedText patientEmail, List<LineItem> items, String currency, long totalAmount, UUID appointmentId,
        Instant initiatedAt) {}
