package org.nhsv2.appointment.config;

import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.context.EnvironmentAware;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Refuses to start, before any bean is made, when a secret is missing, naming every variable to set at
 * once. Only the local profile (application-local.yml) has fake development values. Checked here
 * because Spring Boot would otherwise bind an unresolved {@code ${...}} literally: against a database
 * that trusts local connections the service would even start.
 */
@Component
class RequiredSecrets implements BeanFactoryPostProcessor, EnvironmentAware {

    private static final Map<String, String> SECRETS = new LinkedHashMap<>();

    static {
        SECRETS.put("spring.datasource.password", "NHSV2_APPOINTMENT_DB_PASSWORD");
        SECRETS.put("nhsv2.vault.master-key", "NHSV2_MASTER_KEY");
        SECRETS.put("nhsv2.idempotency.fingerprint-secret", "NHSV2_IDEMPOTENCY_SECRET");
    }

    private Environment environment;

    @Override
    public void setEnvironment(Environment environment) {
        this.environment = environment;
    }

    @Override
    public void postProcessBeanFactory(ConfigurableListableBeanFactory beanFactory) {
        List<String> missing = SECRETS.entrySet().stream()
                .filter(secret -> isMissing(secret.getKey()))
                .map(secret -> secret.getValue() + " (" + secret.getKey() + ")")
                .toList();
        if (!missing.isEmpty()) {
            throw new IllegalStateException("Missing secrets: set " + String.join(", ", missing) + ". Only the local "
                    + "profile has fake development values; a master key or secret comes from `openssl rand -base64 32`.");
        }
    }

    private boolean isMissing(String property) {
        try {
            String value = environment.getProperty(property);
            return value == null || value.isBlank();
        } catch (IllegalArgumentException unresolvable) {
            return true;
        }
    }
}
