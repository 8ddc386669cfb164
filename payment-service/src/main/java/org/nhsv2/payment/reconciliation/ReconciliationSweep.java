package org.nhsv2.payment.reconciliation;

import com.github.kagkarlsson.scheduler.task.helper.RecurringTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import com.github.kagkarlsson.scheduler.task.schedule.FixedDelay;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.nhsv2.payment.api.ReconcileTransactionCommand;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Each open checkout has its own deadline at its expiry; this sweep is the net under it (a deadline
 * that failed for good, a refund whose Stripe answer was lost, a pending refund whose settling webhook
 * was lost). It asks each overdue transaction to reconcile with Stripe; db-scheduler runs it on one
 * instance at a time.
 */
@Configuration(proxyBeanMethods = false)
class ReconciliationSweep {

    static final String TASK = "transaction-reconciliation";
    private static final Logger log = LoggerFactory.getLogger(ReconciliationSweep.class);

    @Bean
    RecurringTask<Void> reconciliationTask(ReconciliationSettings settings, OverdueTransactions overdue,
                                           CommandGateway commands, Clock clock) {
        return Tasks.recurring(TASK, FixedDelay.of(settings.interval()))
                .execute((instance, context) -> sweep(settings, overdue, commands, clock));
    }

    /** Returns how many transactions it asked. */
    static int sweep(ReconciliationSettings settings, OverdueTransactions overdue, CommandGateway commands, Clock clock) {
        Instant now = clock.instant();
        List<UUID> due = overdue.overdue(now.minus(settings.openGrace()), now.minus(settings.refundGrace()),
                now.minus(settings.pendingRefundGrace()), settings.batchSize());
        for (UUID transactionId : due) {
            try {
                commands.sendAndWait(new ReconcileTransactionCommand(transactionId));
            } catch (RuntimeException e) {
                log.warn("Could not reconcile transaction {}; the next sweep tries again", transactionId, e);
            }
        }
        if (!due.isEmpty()) {
            log.info("Reconciliation asked {} overdue transaction(s) to check with Stripe", due.size());
        }
        return due.size();
    }
}
