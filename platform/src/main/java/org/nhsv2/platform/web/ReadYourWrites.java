package org.nhsv2.platform.web;

import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.messaging.MetaData;
import org.axonframework.messaging.responsetypes.ResponseTypes;
import org.axonframework.queryhandling.QueryGateway;
import org.axonframework.queryhandling.SubscriptionQueryResult;
import org.nhsv2.platform.api.Actor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;

/**
 * Sends a command and waits, for a short bound, until the view shows its effect. It subscribes
 * before sending, so the projection's update cannot slip by unseen; past the bound the caller answers
 * 202 and the client follows the {@code Location}. The view query's handler answers an
 * {@code Optional} of the view, and the projection emits the view to its subscribers when it changes.
 * The view is read only when that word is late (the projection may run on another instance), so the
 * usual wait costs no query.
 */
public class ReadYourWrites {

    private static final Logger log = LoggerFactory.getLogger(ReadYourWrites.class);

    private final CommandGateway commands;
    private final QueryGateway queries;
    private final Duration bound;
    private final Duration readEvery;

    public ReadYourWrites(CommandGateway commands, QueryGateway queries, ReadYourWritesSettings settings) {
        this.commands = commands;
        this.queries = queries;
        this.bound = settings.timeout();
        this.readEvery = settings.readEvery();
    }

    /** The view once it satisfies {@code done}; empty if it did not within the bound. */
    public <V> Optional<V> send(Object command, Actor actor, Object viewQuery, Class<V> view, Predicate<V> done) {
        return sendForResult(command, actor, viewQuery, view, done).view();
    }

    /** What the command handler returned, and the view once it satisfies {@code done}. */
    public <R, V> Outcome<R, V> sendForResult(Object command, Actor actor, Object viewQuery, Class<V> view,
                                              Predicate<V> done) {
        return sendForResult(command, actor, viewQuery, view, done, result -> true);
    }

    /**
     * As above, but waits for the view only if the result is {@code worthWaiting} for: a result that
     * says nothing changed (a failure reported as a value) answers at once, without the view.
     */
    public <R, V> Outcome<R, V> sendForResult(Object command, Actor actor, Object viewQuery, Class<V> view,
                                              Predicate<V> done, Predicate<R> worthWaiting) {
        try (SubscriptionQueryResult<Optional<V>, V> subscription = queries.subscriptionQuery(viewQuery,
                ResponseTypes.optionalInstanceOf(view), ResponseTypes.instanceOf(view))) {
            R result = commands.sendAndWait(command, MetaData.from(actor.metaData()));
            if (!worthWaiting.test(result)) {
                return new Outcome<>(result, Optional.empty());
            }
            CompletableFuture<V> word = subscription.updates().filter(done).next().toFuture();
            return new Outcome<>(result, awaitView(word, viewQuery, view, done));
        }
    }

    /**
     * The projection's word, or else the view as read on this thread every {@code readEvery} (never on a
     * Reactor scheduler's few threads, which a blocking query would starve); empty at the bound.
     */
    private <V> Optional<V> awaitView(CompletableFuture<V> word, Object viewQuery, Class<V> view, Predicate<V> done) {
        long deadline = System.nanoTime() + bound.toNanos();
        CompletableFuture<V> awaited = word;
        for (long left = bound.toNanos(); left > 0; left = deadline - System.nanoTime()) {
            try {
                V told = awaited.get(Math.min(readEvery.toNanos(), left), TimeUnit.NANOSECONDS);
                if (told != null) {
                    return Optional.of(told);
                }
                awaited = new CompletableFuture<>(); // the updates ended without it: only reading is left
            } catch (TimeoutException late) {
                // Read the view ourselves, below.
            } catch (ExecutionException failed) {
                awaited = new CompletableFuture<>();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Optional.empty();
            }
            Optional<V> read = read(viewQuery, view).filter(done);
            if (read.isPresent()) {
                return read;
            }
        }
        return Optional.empty();
    }

    /**
     * The view as it is now. The command has succeeded whatever this finds: a view that cannot be read
     * (its table broken, its database busy) only means the client is told 202 and follows the Location.
     */
    private <V> Optional<V> read(Object viewQuery, Class<V> view) {
        try {
            return queries.query(viewQuery, ResponseTypes.optionalInstanceOf(view)).join();
        } catch (RuntimeException e) {
            log.debug("Could not read the view a write waits for; it will be read again or answered 202", e);
            return Optional.empty();
        }
    }

    public record Outcome<R, V>(R result, Optional<V> view) {
    }
}
