package org.nhsv2.payment.api;

import org.axonframework.serialization.Revision;

import java.util.UUID;

/** Each field with its value before and after; unchanged ones are {@code null}. */
@Revision("1")
public record ProductChangedEvent(UUID productId, String previousName, String name, Long previousUnitAmount, Long unitAmount,
        Boolean previousActive, Boolean active) {}
