package org.nhsv2.payment.api;

import java.util.UUID;

/** A {@code null} field keeps its value. */
public record ChangeProductCommand(UUID productId, String name, Long unitAmount, Boolean active) {}
