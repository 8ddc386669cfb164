package org.nhsv2.payment.api;

import org.axonframework.serialization.Revision;
import org.nhsv2.platform.api.EncryptedText;

import java.util.List;
import java.util.UUID;

/** Personal data is sealed with the patient's key. */
@Revision("1")
public record TransactionInitiatedEvent(UUID transactionId, UUID facilityId, UUID patientId, EncryptedText patientName,
        EncryptedText patientEmail, List<LineItem> items, String currency, long totalAmount, UUID appointmentId) {}
