package org.nhsv2.payment.query;

import org.nhsv2.payment.api.EmailView;
import org.nhsv2.payment.api.RefundStatus;
import org.nhsv2.payment.api.RefundView;
import org.nhsv2.payment.api.SealedFields;
import org.nhsv2.payment.api.TransactionView;
import org.nhsv2.platform.vault.PersonalDataVault;
import org.nhsv2.platform.vault.PersonalDataVault.RecordReader;
import org.nhsv2.platform.vault.SealedRows;
import org.springframework.stereotype.Component;

import java.util.List;

/** Opens the sealed fields of rows only at the moment they are handed to a reader. */
@Component
class TransactionViews extends SealedRows<TransactionRow, TransactionView> {

    TransactionViews(PersonalDataVault vault) {
        super(vault, TransactionRow::patientId, TransactionRow::transactionId, TransactionViews::view);
    }

    private static TransactionView view(TransactionRow row, RecordReader sealed) {
        List<RefundView> refunds = row.refunds().stream().map(refund -> new RefundView(refund.refundId(),
                refund.amount(), refund.status(), refund.stripeRefundId(),
                sealed.open(refund.reason(), SealedFields.refundReason(refund.refundId())))).toList();
        List<EmailView> emails = row.emails().stream().map(email -> new EmailView(email.requestId(), email.template(),
                email.status(), email.providerMessageId(), email.deliveredAt(),
                sealed.open(email.failure(), SealedFields.emailFailure(email.requestId())),
                email.permanentFailure())).toList();
        long refunded = row.refunds().stream().filter(refund -> refund.status() == RefundStatus.SUCCEEDED)
                .mapToLong(TransactionRow.Refund::amount).sum();
        long pending = row.refunds().stream().filter(refund -> !refund.status().isSettled())
                .mapToLong(TransactionRow.Refund::amount).sum();
        return new TransactionView(row.transactionId(), row.facilityId(), row.patientId(),
                sealed.open(row.patientName(), SealedFields.PATIENT_NAME),
                sealed.open(row.patientEmail(), SealedFields.PATIENT_EMAIL),
                row.status(), row.currency(), row.totalAmount(), refunded, pending, row.items(), refunds, emails,
                row.disputes(), row.checkoutUrl(), row.checkoutExpiresAt(), row.appointmentId(), row.createdAt(), row.version());
    }
}
