package org.nhsv2.appointment.web;

import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.messaging.MetaData;
import org.axonframework.messaging.responsetypes.ResponseTypes;
import org.axonframework.queryhandling.QueryGateway;
import org.axonframework.queryhandling.SubscriptionQueryResult;
import org.nhsv2.appointment.api.AppointmentView;
import org.nhsv2.appointment.api.FindAppointmentQuery;
import org.nhsv2.platform.api.Actor;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

import java.time.Duration;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Predicate;

/**
 * Sends a command and waits, for a short bound, until the view shows its effect. It subscribes
 * before sending, so the projection's update cannot slip by unseen; past the bound the caller answers
 * 202 and the client follows the {@code Location}.
 */
@Component
class ReadYourWrites {

    private final CommandGateway commands;
    private final QueryGateway queries;
    private final Duration bound;

    ReadYourWrites(CommandGateway commands, QueryGateway queries, ReadYourWritesSettings settings) {
        this.commands = commands;
        this.queries = queries;
        this.bound = settings.timeout();
    }

    Optional<AppointmentView> send(Object command, Actor actor, UUID appointmentId, Predicate<AppointmentView> done) {
        try (SubscriptionQueryResult<Optional<AppointmentView>, AppointmentView> view = queries.subscriptionQuery(
                new FindAppointmentQuery(appointmentId),
                ResponseTypes.optionalInstanceOf(AppointmentView.class),
                ResponseTypes.instanceOf(AppointmentView.class))) {
            commands.sendAndWait(command, MetaData.from(actor.metaData()));
            Mono<AppointmentView> alreadyThere = view.initialResult().flatMap(Mono::justOrEmpty).filter(done);
            Mono<AppointmentView> arriving = view.updates().filter(done).next();
            return Mono.firstWithValue(alreadyThere, arriving)
                    .timeout(bound, Mono.empty())
                    .onErrorResume(NoSuchElementException.class, e -> Mono.empty())
                    .blockOptional();
        }
    }
}
