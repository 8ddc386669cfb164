package org.nhsv2.payment.api;

import java.util.UUID;

public record RefundView(UUID refundId, long amount, RefundStatus status, String stripeRefundId, String reason) {

    @Override
    public String toString() {
        return "RefundView[refundId=" + refundId + ", amount=" + amount + ", status=" + status + ", reason redacted]";
    }
}
