package org.nhsv2.appointment.config;

import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.type.LogicalType;
import org.springframework.boot.autoconfigure.jackson.Jackson2ObjectMapperBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.converter.json.MappingJackson2HttpMessageConverter;

/**
 * Strict JSON. Text fields take JSON strings only: Jackson would otherwise turn {@code "reason": 42}
 * into {@code "42"}, and a client sending a number where text belongs has a bug we should tell it
 * about. Request bodies are bounded in what a parser may be made to build: no field of ours needs long
 * strings, deep nesting or long numbers.
 */
@Configuration(proxyBeanMethods = false)
class JacksonConfig {

    static final StreamReadConstraints REQUEST_LIMITS = StreamReadConstraints.builder()
            .maxStringLength(16 * 1024)
            .maxNestingDepth(16)
            .maxNumberLength(32)
            .maxNameLength(256)
            .build();

    @Bean
    Jackson2ObjectMapperBuilderCustomizer textOnlyFromStrings() {
        return builder -> builder.postConfigurer(mapper -> mapper.coercionConfigFor(LogicalType.Textual)
                .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail));
    }

    /**
     * The HTTP converter reads with its own copy of the application's mapper, so the limits bind
     * requests only and never what Axon (de)serialises with the shared one.
     */
    @Bean
    MappingJackson2HttpMessageConverter mappingJackson2HttpMessageConverter(ObjectMapper mapper) {
        ObjectMapper bounded = mapper.copy();
        bounded.getFactory().setStreamReadConstraints(REQUEST_LIMITS);
        return new MappingJackson2HttpMessageConverter(bounded);
    }
}
