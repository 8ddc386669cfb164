package org.nhsv2.platform.security;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.context.annotation.Bean;

/**
 * A service refuses to start without its secrets (see {@link RequiredSecrets}). Not part of test
 * slices, which start no service.
 */
@AutoConfiguration
public class SecretsAutoConfiguration {

    /** Static: a bean factory post-processor, made before any other bean. */
    @Bean
    static RequiredSecrets requiredSecrets() {
        return new RequiredSecrets();
    }
}
