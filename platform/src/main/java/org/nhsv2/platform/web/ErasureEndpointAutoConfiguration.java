package org.nhsv2.platform.web;

import org.axonframework.commandhandling.gateway.CommandGateway;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;

/**
 * The erasure endpoint every service answers ({@link PersonalDataErasureController}); in web slices
 * too, where a test supplies (or mocks) the command gateway it sends through.
 */
@AutoConfiguration
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass(CommandGateway.class)
public class ErasureEndpointAutoConfiguration {

    @Bean
    PersonalDataErasureController personalDataErasureController(ObjectProvider<CommandGateway> commands,
                                                                @Value("${nhsv2.idempotency.request-name:request}") String requestName) {
        return new PersonalDataErasureController(commands, requestName);
    }
}
