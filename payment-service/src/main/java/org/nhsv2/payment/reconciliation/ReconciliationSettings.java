package org.nhsv2.payment.reconciliation;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;

/**
 * The sweep behind each checkout's own deadline ({@code nhsv2.reconciliation.*}).
 *
 * @param interval   how often it runs (on one instance at a time)
 * @param openGrace  how long after its expiry an open checkout is asked about
 * @param refundGrace how long a refund may stay unsubmitted before it is submitted again
 * @param pendingRefundGrace how long a refund Stripe took as pending may wait for the webhook that settles it before
 *                   Stripe is asked (and asked again each run while Stripe still says pending); Stripe usually settles
 *                   a card refund within seconds, and retries a failed webhook for up to three days
 * @param batchSize  transactions per run
 */
@ConfigurationProperties("nhsv2.reconciliation")
public record ReconciliationSettings(@DefaultValue("5m") Duration interval, @DefaultValue("10m") Duration openGrace,
                                     @DefaultValue("2m") Duration refundGrace,
                                     @DefaultValue("1h") Duration pendingRefundGrace,
                                     @DefaultValue("100") int batchSize) {
}
