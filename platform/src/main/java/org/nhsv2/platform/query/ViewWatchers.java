package org.nhsv2.platform.query;

import org.axonframework.queryhandling.QueryUpdateEmitter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Optional;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Tells clients waiting on a view (see {@code ReadYourWrites}) that it changed, from a projection's
 * event handler. The view is read only when someone watches it. A courtesy, never a reason to fail
 * the projection: if it cannot be sent, the client answers 202 and reads the view later. The emitter
 * itself waits for the projection's commit.
 */
public final class ViewWatchers {

    private static final Logger log = LoggerFactory.getLogger(ViewWatchers.class);

    private ViewWatchers() {
    }

    public static <Q, V> void tell(QueryUpdateEmitter emitter, Class<Q> queryType, Predicate<Q> watches,
                                   Supplier<Optional<V>> view) {
        boolean watched = emitter.activeSubscriptions().stream()
                .anyMatch(subscription -> queryType.isInstance(subscription.getPayload())
                        && watches.test(queryType.cast(subscription.getPayload())));
        if (!watched) {
            return;
        }
        try {
            view.get().ifPresent(changed -> emitter.emit(queryType, watches, changed));
        } catch (RuntimeException e) {
            log.warn("Could not send a changed view to its watchers", e);
        }
    }
}
