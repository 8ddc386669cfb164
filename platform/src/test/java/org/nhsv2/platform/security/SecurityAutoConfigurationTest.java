package org.nhsv2.platform.security;

import org.junit.jupiter.api.Test;
import org.nhsv2.platform.problem.ProblemAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.jackson.JacksonAutoConfiguration;
import org.springframework.boot.autoconfigure.security.oauth2.resource.servlet.OAuth2ResourceServerAutoConfiguration;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.security.oauth2.jwt.JwtDecoder;

import static org.assertj.core.api.Assertions.assertThat;

class SecurityAutoConfigurationTest {

    private final WebApplicationContextRunner runner = new WebApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class, ProblemAutoConfiguration.class,
                    SecurityAutoConfiguration.class, OAuth2ResourceServerAutoConfiguration.class,
                    org.springframework.boot.autoconfigure.security.servlet.SecurityAutoConfiguration.class))
            .withPropertyValues("management.server.port=");

    @Test
    void shouldDecodeTheIssuersTokensWithTheOutageAwareDecoderWhenAnIssuerIsConfigured() {
        runner.withPropertyValues("spring.security.oauth2.resourceserver.jwt.issuer-uri=http://127.0.0.1:1/realms/x")
                .run(context -> assertThat(context).hasSingleBean(JwtDecoder.class)
                        .getBean(JwtDecoder.class).isInstanceOf(IssuerJwtDecoder.class));
    }

    @Test
    void shouldLeaveTheDecoderToSpringBootWhenNoIssuerIsConfigured() {
        runner.withPropertyValues("spring.security.oauth2.resourceserver.jwt.jwk-set-uri=http://127.0.0.1:1/certs")
                .run(context -> assertThat(context.getBean(JwtDecoder.class)).isNotInstanceOf(IssuerJwtDecoder.class));
    }

    @Test
    void shouldKeepTheServicesOwnDecoder() {
        JwtDecoder own = token -> {
            throw new UnsupportedOperationException();
        };
        runner.withPropertyValues("spring.security.oauth2.resourceserver.jwt.issuer-uri=http://127.0.0.1:1/realms/x")
                .withBean(JwtDecoder.class, () -> own)
                .run(context -> assertThat(context.getBean(JwtDecoder.class)).isSameAs(own));
    }
}
