package org.nhsv2.platform.eventstore;

import org.junit.jupiter.api.Test;
import org.nhsv2.platform.testing.HealthCodes;
import org.nhsv2.platform.vault.VaultSettings;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.mock.env.MockPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

class PlatformDefaultsTest {

    @Test
    void shouldGiveTheEventStorePitfallsTheirFixByDefaultAndLetAServiceOverrideAny() {
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().addFirst(new MockPropertySource("service")
                .withProperty("axon.serializer.general", "xstream"));

        new PlatformDefaults().postProcessEnvironment(environment, new SpringApplication());

        assertThat(environment.getProperty("axon.serializer.events")).isEqualTo("jackson");
        assertThat(environment.getProperty("axon.serializer.general")).isEqualTo("xstream");
        assertThat(environment.getProperty("spring.flyway.locations")).isEqualTo("classpath:db/platform,classpath:db/migration");
        assertThat(System.getProperty("axoniq.update-checker.disabled")).isEqualTo("true");
    }

    @Test
    void shouldReadTheMasterKeysBeingRotatedOutFromTheirDocumentedVariable() {
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().addFirst(new MockPropertySource("environment")
                .withProperty("NHSV2_MASTER_KEY", "new")
                .withProperty("NHSV2_PREVIOUS_MASTER_KEYS", "old-one,old-two"));
        new PlatformDefaults().postProcessEnvironment(environment, new SpringApplication());

        VaultSettings settings = Binder.get(environment).bindOrCreate("nhsv2.vault", VaultSettings.class);

        assertThat(settings.masterKey()).isEqualTo("new");
        assertThat(settings.previousMasterKeys()).containsExactly("old-one", "old-two");
    }

    @Test
    void shouldRotateNoKeyOutWhenTheVariableIsNotSet() {
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().addFirst(new MockPropertySource("environment")
                .withProperty("NHSV2_MASTER_KEY", "new"));
        new PlatformDefaults().postProcessEnvironment(environment, new SpringApplication());

        assertThat(Binder.get(environment).bindOrCreate("nhsv2.vault", VaultSettings.class).previousMasterKeys()).isEmpty();
    }

    /**
     * A health status's HTTP code, as Spring Boot maps it from these defaults: any mapping given replaces its own
     * (DOWN and OUT_OF_SERVICE to 503), and what the map leaves out answers 200. With only DEGRADED mapped,
     * {@code /actuator/health} answered 200 while the database or the broker was DOWN, and a monitor reading the
     * status code saw nothing wrong.
     */
    @Test
    void shouldAnswerHealthThatIsDownOrOutOfServiceWith503AndDegradedWith200() {
        StandardEnvironment environment = new StandardEnvironment();
        new PlatformDefaults().postProcessEnvironment(environment, new SpringApplication());

        HealthCodes.assertDownIs503AndDegradedIs200(environment);
    }
}
