package org.nhsv2.payment.api;

import java.util.List;

public record TransactionPage(List<TransactionView> items, int page, int size, long totalItems) {

    public TransactionPage {
        items = List.copyOf(items);
    }
}
