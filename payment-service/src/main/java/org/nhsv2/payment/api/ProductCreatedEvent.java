package org.nhsv2.payment.api;

import org.axonframework.serialization.Revision;

import java.util.UUID;

@Revision("1")
public record ProductCreatedEvent(UUID productId, String name, long unitAmount, String currency, boolean active) {}
