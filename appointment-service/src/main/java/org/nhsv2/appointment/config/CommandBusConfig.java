package org.nhsv2.appointment.config;

import org.axonframework.commandhandling.CommandBus;
import org.nhsv2.appointment.command.RejectionTranslator;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Configuration;

/** Kept apart from {@link AxonConfig}: injecting the bus there would make Axon's configurer wait on itself. */
@Configuration(proxyBeanMethods = false)
class CommandBusConfig {

    @Autowired
    void translateRejections(CommandBus commandBus) {
        commandBus.registerHandlerInterceptor(new RejectionTranslator());
    }
}
