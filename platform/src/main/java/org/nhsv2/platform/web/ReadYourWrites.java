package org.nhsv2.platform.web;

import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.messaging.MetaData;
import org.axonframework.messaging.responsetypes.ResponseTypes;
import org.axonframework.queryhandling.QueryGateway;
import org.axonframework.queryhandling.SubscriptionQueryResult;
import org.nhsv2.platform.api.Actor;
import reactor.core.publisher.Mono;

import java.time.Duration;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Sends a command and waits, for a short bound, until the view shows its effect. It subscribes
 * before sending, so the projection's update cannot slip by unseen; past the bound the caller answers
 * 202 and the client follows the {@code Location}. The view query's handler answers an
 * {@code Optional} of the view, and the projection emits the view to its subscribers when it changes.
 */
public class ReadYourWrites {

    private final CommandGateway commands;
    private final QueryGateway queries;
    private final Duration bound;

    public ReadYourWrites(CommandGateway commands, QueryGateway queries, ReadYourWritesSettings settings) {
        this.commands = commands;
        this.queries = queries;
        this.bound = settings.timeout();
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
            Mono<V> alreadyThere = subscription.initialResult().flatMap(Mono::justOrEmpty).filter(done);
            Mono<V> arriving = subscription.updates().filter(done).next();
            Optional<V> shown = Mono.firstWithValue(alreadyThere, arriving)
                    .timeout(bound, Mono.empty())
                    .onErrorResume(NoSuchElementException.class, e -> Mono.empty())
                    .blockOptional();
            return new Outcome<>(result, shown);
        }
    }

    public record Outcome<R, V>(R result, Optional<V> view) {
    }
}
