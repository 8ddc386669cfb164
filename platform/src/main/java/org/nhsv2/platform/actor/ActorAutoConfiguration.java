package org.nhsv2.platform.actor;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

import java.util.List;

/**
 * Controllers may take an {@link org.nhsv2.platform.api.Actor} parameter: the caller from the token.
 * Axon handlers resolve it from metadata through {@link ActorParameterResolverFactory}, which Axon
 * finds through {@code META-INF/services}, so test fixtures resolve it exactly as services do.
 */
@AutoConfiguration
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
public class ActorAutoConfiguration {

    @Bean
    WebMvcConfigurer actorArgumentResolver() {
        return new WebMvcConfigurer() {
            @Override
            public void addArgumentResolvers(List<HandlerMethodArgumentResolver> resolvers) {
                resolvers.add(new ActorArgumentResolver());
            }
        };
    }
}
