package org.nhsv2.payment.api;

import java.util.UUID;

/** A product as it was when the transaction was made: name and unit price are a snapshot. */
public record LineItem(UUID productId, String name, long unitAmount, int quantity, long amount) {}
