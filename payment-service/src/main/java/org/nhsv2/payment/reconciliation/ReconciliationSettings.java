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
 * @param batchSize  transactions per run
 */
@ConfigurationProperties("nhsv2.reconciliation")
public record ReconciliationSettings(@DefaultValue("5m") Duration interval, @DefaultValue("10m") Duration openGrace,
                                     @DefaultValue("2m") Duration refundGrace, @DefaultValue("100") int batchSize) {
}
