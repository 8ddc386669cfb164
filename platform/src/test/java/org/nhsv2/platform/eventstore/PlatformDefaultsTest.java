package org.nhsv2.platform.eventstore;

import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
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
}
