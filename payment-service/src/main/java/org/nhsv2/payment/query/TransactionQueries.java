package org.nhsv2.payment.query;

import org.axonframework.queryhandling.QueryHandler;
import org.nhsv2.payment.api.FindFacilityTransactionsQuery;
import org.nhsv2.payment.api.FindPatientTransactionsQuery;
import org.nhsv2.payment.api.FindTransactionQuery;
import org.nhsv2.payment.api.TransactionPage;
import org.nhsv2.payment.api.TransactionView;
import org.nhsv2.payment.checkouts.OpenCheckouts;
import org.nhsv2.payment.reconciliation.OverdueTransactions;
import org.nhsv2.payment.stripe.TransactionLookup;
import org.springframework.stereotype.Component;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;

@Component
class TransactionQueries implements TransactionLookup, OverdueTransactions, OpenCheckouts {

    private final TransactionViewRepository rows;
    private final TransactionViews views;

    TransactionQueries(TransactionViewRepository rows, TransactionViews views) {
        this.rows = rows;
        this.views = views;
    }

    @QueryHandler
    Optional<TransactionView> handle(FindTransactionQuery query) {
        return rows.find(query.transactionId()).map(views::open);
    }

    @QueryHandler
    TransactionPage handle(FindFacilityTransactionsQuery query) {
        return new TransactionPage(views.open(rows.findByFacility(query.facilityId(), query.status(),
                query.page() * query.size(), query.size())), query.page(), query.size(),
                rows.countByFacility(query.facilityId(), query.status()));
    }

    @QueryHandler
    TransactionPage handle(FindPatientTransactionsQuery query) {
        return new TransactionPage(views.open(rows.findByPatient(query.patientId(), query.page() * query.size(),
                query.size())), query.page(), query.size(), rows.countByPatient(query.patientId()));
    }

    @Override
    public long of(UUID patientId, Instant initiatedSince, Collection<UUID> startedMeanwhile) {
        return rows.countWaitingStartedByPatient(patientId, initiatedSince, startedMeanwhile);
    }

    @Override
    public Optional<UUID> byPaymentIntent(String paymentIntentId) {
        return rows.findByPaymentIntent(paymentIntentId);
    }

    @Override
    public List<UUID> overdue(Instant checkoutExpiredBefore, Instant refundRequestedBefore, Instant refundSubmittedBefore,
                              int limit) {
        return Stream.of(rows.findOpenPast(checkoutExpiredBefore, limit),
                        rows.findWithUnsubmittedRefunds(refundRequestedBefore, limit),
                        rows.findWithPendingRefunds(refundSubmittedBefore, limit))
                .flatMap(List::stream).distinct().toList();
    }
}
