package org.nhsv2.payment.api;

import java.util.UUID;

/** A {@code null} field keeps its value; {@code reason} says why, for the record. */
public record ChangeProductCommand(UUID productId, String name, Long unitAmount, Boolean active, String reason) {}
