package org.nhsv2.platform.security;

import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.EnvironmentAware;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.Environment;
import org.springframework.core.env.PropertySource;

import java.util.List;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Refuses to start, before any bean is made, when a secret is missing, naming every variable to set at
 * once. Only a service's local profile has fake development values. Checked here because Spring Boot
 * binds an unresolved {@code ${...}} literally: against a database that trusts local connections a
 * service would even start. The secrets are the properties in {@code nhsv2.secrets.required}; each is
 * named by the environment variable its {@code ${...}} placeholder reads.
 */
class RequiredSecrets implements BeanFactoryPostProcessor, EnvironmentAware {

    static final List<String> DEFAULT = List.of("spring.datasource.password", "nhsv2.vault.master-key",
            "nhsv2.idempotency.fingerprint-secret", "spring.rabbitmq.password");
    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([A-Za-z0-9_.-]+)(:[^}]*)?}");

    private ConfigurableEnvironment environment;

    @Override
    public void setEnvironment(Environment environment) {
        this.environment = (ConfigurableEnvironment) environment;
    }

    @Override
    public void postProcessBeanFactory(ConfigurableListableBeanFactory beanFactory) {
        List<String> required = Binder.get(environment).bind("nhsv2.secrets.required", Bindable.listOf(String.class))
                .orElse(DEFAULT);
        List<String> missing = required.stream().filter(this::isMissing).map(this::describe).toList();
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

    /** "NHSV2_MASTER_KEY (nhsv2.vault.master-key)", from the placeholder that should have given it. */
    private String describe(String property) {
        return environment.getPropertySources().stream()
                .map(source -> rawValue(source, property))
                .filter(Objects::nonNull)
                .map(PLACEHOLDER::matcher)
                .filter(Matcher::find)
                .map(placeholder -> placeholder.group(1) + " (" + property + ")")
                .findFirst()
                .orElse(property);
    }

    private static String rawValue(PropertySource<?> source, String property) {
        Object value = source.getProperty(property);
        return value == null ? null : value.toString();
    }
}
