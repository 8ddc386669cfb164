package org.nhsv2.payment.api;

/** Active products only unless {@code includeInactive}. */
public record FindProductsQuery(boolean includeInactive) {}
