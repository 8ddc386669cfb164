package org.nhsv2.notification.email;

/** What a provider said to one email. */
public sealed interface Delivery {

    /** Taken on for delivery; {@code providerMessageId} is null if the provider gave none. */
    record Accepted(String providerMessageId) implements Delivery {
    }

    /** Refused for good; {@code reason} names no address. */
    record Refused(String reason) implements Delivery {
    }
}
