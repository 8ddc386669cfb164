package org.nhsv2.payment.api;

import java.util.UUID;

/** A product of the catalogue and how many. */
public record RequestedItem(UUID productId, int quantity) {}
