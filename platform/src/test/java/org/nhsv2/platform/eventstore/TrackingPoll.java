package org.nhsv2.platform.eventstore;

import org.axonframework.eventhandling.TrackedEventData;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventsourcing.eventstore.jpa.JpaEventStorageEngine;

import java.util.List;

/**
 * One poll of a tracking processor, exactly as a storage engine answers it ({@code fetchTrackedEvents}, with gap
 * cleaning, the fetch in its transaction and the token each event gets), for Axon's stock engine and for ours. The
 * method is protected; these subclasses only open it.
 */
interface TrackingPoll {

    List<? extends TrackedEventData<?>> poll(TrackingToken token);

    static TrackingPoll stock(JpaEventStorageEngine.Builder builder) {
        return new Stock(builder);
    }

    static TrackingPoll gapSafe(JpaEventStorageEngine.Builder builder) {
        return new GapSafe(builder);
    }

    final class Stock extends JpaEventStorageEngine implements TrackingPoll {

        private Stock(JpaEventStorageEngine.Builder builder) {
            super(builder);
        }

        @Override
        public List<? extends TrackedEventData<?>> poll(TrackingToken token) {
            return fetchTrackedEvents(token, batchSize());
        }
    }

    final class GapSafe extends GapSafeJpaEventStorageEngine implements TrackingPoll {

        private GapSafe(JpaEventStorageEngine.Builder builder) {
            super(builder);
        }

        @Override
        public List<? extends TrackedEventData<?>> poll(TrackingToken token) {
            return fetchTrackedEvents(token, batchSize());
        }
    }
}
