package org.nhsv2.payment.api;

import org.axonframework.serialization.Revision;

import java.util.UUID;

/**
 * Each field with its value before and after; unchanged ones are {@code null}. {@code reason}: why the admin changed it
 * (catalogue text, no personal data); revision 2, {@code null} in revision 1's events, stored before it was asked for
 * ({@code ProductChangedEventUpcaster}).
 */
@Revision("2")
public record ProductChangedEvent(UUID productId, String previousName, String name, Long previousUnitAmount, Long unitAmount,
        Boolean previousActive, Boolean active, String reason) {}
