package org.nhsv2.platform.web;

import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.queryhandling.QueryGateway;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Lazy;

/** Writes that answer once the read side shows them (see {@link ReadYourWrites}). */
@AutoConfiguration
@ConditionalOnClass(CommandGateway.class)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@EnableConfigurationProperties(ReadYourWritesSettings.class)
public class ReadYourWritesAutoConfiguration {

    /** Lazy: made for the first controller that needs it, so a slice without Axon's gateways need not have them. */
    @Bean
    @Lazy
    @ConditionalOnMissingBean
    ReadYourWrites readYourWrites(CommandGateway commands, QueryGateway queries, ReadYourWritesSettings settings) {
        return new ReadYourWrites(commands, queries, settings);
    }
}
