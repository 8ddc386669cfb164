package org.nhsv2.payment.query;

import org.nhsv2.payment.api.DisputeView;
import org.nhsv2.payment.api.EmailStatus;
import org.nhsv2.payment.api.LineItem;
import org.nhsv2.payment.api.RefundStatus;
import org.nhsv2.payment.api.TransactionEmail;
import org.nhsv2.payment.api.TransactionStatus;
import org.nhsv2.platform.api.EncryptedText;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** A transaction as stored in the view: personal fields and reasons still sealed; its payment's disputes. */
record TransactionRow(UUID transactionId, UUID facilityId, UUID patientId, EncryptedText patientName,
                      EncryptedText patientEmail, TransactionStatus status, String currency, long totalAmount,
                      String checkoutUrl, Instant checkoutExpiresAt, UUID appointmentId, Instant createdAt, long version,
                      List<LineItem> items, List<Refund> refunds, List<Email> emails, List<DisputeView> disputes) {

    record Refund(UUID refundId, long amount, RefundStatus status, String stripeRefundId, EncryptedText reason) {
    }

    /** An email notification-service answered for; the failure's reason sealed. */
    record Email(UUID requestId, TransactionEmail template, EmailStatus status, String providerMessageId, Instant deliveredAt,
                 EncryptedText failure, boolean permanentFailure) {
    }

    TransactionRow withDetails(List<LineItem> items, List<Refund> refunds, List<Email> emails, List<DisputeView> disputes) {
        return new TransactionRow(transactionId, facilityId, patientId, patientName, patientEmail, status, currency,
                totalAmount, checkoutUrl, checkoutExpiresAt, appointmentId, createdAt, version, List.copyOf(items),
                List.copyOf(refunds), List.copyOf(emails), List.copyOf(disputes));
    }
}
