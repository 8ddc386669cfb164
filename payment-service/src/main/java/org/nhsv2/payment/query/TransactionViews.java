package org.nhsv2.payment.query;

import org.nhsv2.payment.api.EmailView;
import org.nhsv2.payment.api.RefundStatus;
import org.nhsv2.payment.api.RefundView;
import org.nhsv2.payment.api.SealedFields;
import org.nhsv2.payment.api.TransactionView;
import org.nhsv2.platform.vault.PersonalDataVault.Binding;
import org.nhsv2.platform.vault.PersonalDataVault;
import org.springframework.stereotype.Component;

import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

/** Opens the sealed fields of rows only at the moment they are handed to a reader. */
@Component
class TransactionViews {

    private final PersonalDataVault vault;

    TransactionViews(PersonalDataVault vault) {
        this.vault = vault;
    }

    List<TransactionView> open(List<TransactionRow> rows) {
        Set<UUID> patients = rows.stream().map(TransactionRow::patientId).collect(Collectors.toSet());
        PersonalDataVault.Reader reader = vault.readerFor(patients);
        return rows.stream().map(row -> {
            UUID id = row.transactionId();
            List<RefundView> refunds = row.refunds().stream().map(refund -> new RefundView(refund.refundId(),
                    refund.amount(), refund.status(), refund.stripeRefundId(), reader.open(row.patientId(), refund.reason(),
                    Binding.of(id, SealedFields.refundReason(refund.refundId()))))).toList();
            List<EmailView> emails = row.emails().stream().map(email -> new EmailView(email.requestId(), email.template(),
                    email.status(), email.providerMessageId(), email.deliveredAt(), reader.open(row.patientId(),
                    email.failure(), Binding.of(id, SealedFields.emailFailure(email.requestId()))),
                    email.permanentFailure())).toList();
            long refunded = row.refunds().stream().filter(refund -> refund.status() == RefundStatus.SUCCEEDED)
                    .mapToLong(TransactionRow.Refund::amount).sum();
            long pending = row.refunds().stream().filter(refund -> !refund.status().isSettled())
                    .mapToLong(TransactionRow.Refund::amount).sum();
            return new TransactionView(id, row.facilityId(), row.patientId(),
                    reader.open(row.patientId(), row.patientName(), Binding.of(id, SealedFields.PATIENT_NAME)),
                    reader.open(row.patientId(), row.patientEmail(), Binding.of(id, SealedFields.PATIENT_EMAIL)),
                    row.status(), row.currency(), row.totalAmount(), refunded, pending, row.items(), refunds, emails,
                    row.checkoutUrl(), row.checkoutExpiresAt(), row.appointmentId(), row.createdAt(), row.version());
        }).toList();
    }

    TransactionView open(TransactionRow row) {
        return open(List.of(row)).get(0);
    }
}
