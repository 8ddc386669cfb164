package org.nhsv2.platform.command;

import org.axonframework.modelling.command.CommandTargetResolver;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Every aggregate's commands find their target through {@link CommandTargets}: Axon's Spring configuration takes a
 * {@link CommandTargetResolver} bean, where there is one, for each aggregate without a resolver of its own.
 */
@AutoConfiguration
@ConditionalOnClass(CommandTargetResolver.class)
public class CommandTargetsAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    CommandTargetResolver commandTargets() {
        return new CommandTargets();
    }
}
