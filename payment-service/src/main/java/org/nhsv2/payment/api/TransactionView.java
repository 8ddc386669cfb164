package org.nhsv2.payment.api;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A transaction as readers see it; personal fields read {@code [erased]} once the patient's data is erased.
 * {@code emails} are those notification-service answered for, oldest answer first; {@code disputes} those of its
 * payment (chargebacks, and the inquiries before them), in the order Stripe told of them.
 */
public record TransactionView(UUID transactionId, UUID facilityId, UUID patientId, String patientName, String patientEmail,
        TransactionStatus status, String currency, long totalAmount, long refundedAmount, long pendingRefundAmount,
        List<LineItem> items, List<RefundView> refunds, List<EmailView> emails, List<DisputeView> disputes, String checkoutUrl,
        Instant checkoutExpiresAt, UUID appointmentId, Instant createdAt, long version) {

    public TransactionView {
        items = List.copyOf(items);
        refunds = List.copyOf(refunds);
        emails = List.copyOf(emails);
        disputes = List.copyOf(disputes);
    }

    /** Personal data stays out of logs. */
    @Override
    public String toString() {
        return "TransactionView[transactionId=" + transactionId + ", facilityId=" + facilityId + ", status=" + status
                + ", totalAmount=" + totalAmount + " " + currency + ", version=" + version + ", personal data redacted]";
    }
}
