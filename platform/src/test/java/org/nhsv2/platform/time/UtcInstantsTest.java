package org.nhsv2.platform.time;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.deser.DefaultDeserializationContext;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.jackson.JacksonAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class UtcInstantsTest {

    @Test
    void shouldBeWhatTheApplicationsMapperReadsAndWritesInstantsWith() {
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class, ClockAutoConfiguration.class))
                .run(context -> {
                    ObjectMapper mapper = context.getBean(ObjectMapper.class);
                    DefaultDeserializationContext reading = ((DefaultDeserializationContext) mapper
                            .getDeserializationContext()).createDummyInstance(mapper.getDeserializationConfig());
                    assertThat(reading.findRootValueDeserializer(mapper.constructType(Instant.class)))
                            .isInstanceOf(UtcInstantDeserializer.class);
                    assertThat(mapper.getSerializerProviderInstance().findValueSerializer(Instant.class))
                            .isInstanceOf(UtcInstantSerializer.class);
                    assertThat(mapper.readValue("{\"at\":\"2026-11-28T10:15:30Z\"}", Stamped.class).at())
                            .isEqualTo(Instant.parse("2026-11-28T10:15:30Z"));
                    assertThat(mapper.writeValueAsString(new Stamped(Instant.parse("2026-11-28T10:15:30.5Z"))))
                            .isEqualTo("{\"at\":\"2026-11-28T10:15:30.500Z\"}");
                });
    }

    record Stamped(Instant at) {
    }
}
