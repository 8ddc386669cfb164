package org.nhsv2.payment.api;

import java.util.UUID;

public record CreateProductCommand(UUID productId, String name, long unitAmount, String currency, boolean active) {}
