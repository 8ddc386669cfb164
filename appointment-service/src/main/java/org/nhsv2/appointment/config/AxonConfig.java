package org.nhsv2.appointment.config;

import org.axonframework.config.ConfigurerModule;
import org.axonframework.eventhandling.PropagatingErrorHandler;
import org.axonframework.messaging.correlation.CorrelationDataProvider;
import org.axonframework.messaging.correlation.MessageOriginProvider;
import org.axonframework.messaging.correlation.SimpleCorrelationDataProvider;
import org.nhsv2.appointment.api.Actor;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class AxonConfig {

    static final String APPOINTMENT_VIEW = "appointment-view";

    /** Correlation and causation ids, as Axon's default does. */
    @Bean
    CorrelationDataProvider messageOriginProvider() {
        return new MessageOriginProvider();
    }

    /** Who did it travels from the command onto each event it causes: the audit trail. */
    @Bean
    CorrelationDataProvider actorCorrelationProvider() {
        return new SimpleCorrelationDataProvider(Actor.ID, Actor.ROLE);
    }

    /**
     * Axon's default logs a failing event handler and skips the event: the view would silently
     * miss it. Propagating makes the tracking processor roll back and retry with back-off instead.
     */
    @Bean
    ConfigurerModule appointmentViewErrorHandling() {
        return configurer -> configurer.eventProcessing(processing -> processing
                .registerListenerInvocationErrorHandler(APPOINTMENT_VIEW, c -> PropagatingErrorHandler.instance()));
    }
}
