package org.nhsv2.platform.eventstore;

import org.axonframework.config.ConfigurerModule;
import org.axonframework.deadline.DeadlineManager;
import org.axonframework.eventhandling.PropagatingErrorHandler;
import org.axonframework.messaging.correlation.CorrelationDataProvider;
import org.axonframework.messaging.correlation.MessageOriginProvider;
import org.axonframework.messaging.correlation.SimpleCorrelationDataProvider;
import org.axonframework.springboot.autoconfig.AxonAutoConfiguration;
import org.nhsv2.platform.api.Actor;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.context.annotation.Bean;

import java.util.HashSet;
import java.util.Set;

/**
 * Axon as every service runs it. Event-store settings that must be right before anything starts
 * (bytea columns, Jackson, the update checker) are defaults in {@code platform-defaults.properties}
 * (see {@link PlatformDefaults}); what needs beans is here.
 */
@AutoConfiguration(before = AxonAutoConfiguration.class)
@ConditionalOnClass(ConfigurerModule.class)
public class EventStoreAutoConfiguration {

    /**
     * Correlation and causation ids, as Axon's default does; Axon adds its own only when no provider
     * is defined, and the actor's below is one.
     */
    @Bean
    CorrelationDataProvider platformMessageOriginProvider() {
        return new MessageOriginProvider();
    }

    /** Who did it travels from the command onto each event it causes: the audit trail. */
    @Bean
    CorrelationDataProvider actorCorrelationProvider() {
        return new SimpleCorrelationDataProvider(Actor.ID, Actor.ROLE);
    }

    /**
     * A deadline would otherwise carry the metadata of the message that scheduled it, and what it
     * causes (a re-requested email, an expiry found at Stripe) would read as that user's doing. It is
     * the service's: the actor is dropped, with any keys a service names in
     * {@code nhsv2.deadlines.drop-metadata}.
     */
    @Bean
    SmartInitializingSingleton deadlinesActAsTheService(ObjectProvider<DeadlineManager> deadlines,
                                                        @Value("${nhsv2.deadlines.drop-metadata:}") Set<String> dropped) {
        Set<String> keys = new HashSet<>(Set.of(Actor.ID, Actor.ROLE, Actor.FACILITIES));
        dropped.stream().filter(key -> !key.isBlank()).forEach(keys::add);
        return () -> deadlines.ifAvailable(manager -> manager.registerDispatchInterceptor(messages -> (index, message) ->
                message.withMetaData(message.getMetaData().withoutKeys(keys))));
    }

    /**
     * Axon's default logs a failing event handler and skips the event: a view or saga would silently
     * miss it. Propagating makes every processor roll back and retry with back-off instead.
     */
    @Bean
    ConfigurerModule propagateEventHandlerFailures() {
        return configurer -> configurer.eventProcessing(processing -> processing
                .registerDefaultListenerInvocationErrorHandler(c -> PropagatingErrorHandler.instance()));
    }
}
