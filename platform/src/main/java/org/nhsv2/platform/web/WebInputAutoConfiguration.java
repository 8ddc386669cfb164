package org.nhsv2.platform.web;

import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.type.LogicalType;
import org.nhsv2.platform.problem.ProblemAutoConfiguration;
import org.nhsv2.platform.problem.ProblemWriter;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.autoconfigure.http.HttpMessageConvertersAutoConfiguration;
import org.springframework.boot.autoconfigure.jackson.Jackson2ObjectMapperBuilderCustomizer;
import org.springframework.boot.autoconfigure.jackson.JacksonAutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.core.Ordered;
import org.springframework.http.converter.json.MappingJackson2HttpMessageConverter;
import org.springframework.web.accept.ContentNegotiationManager;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;
import org.springframework.web.servlet.handler.MappedInterceptor;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerAdapter;

/**
 * Bounded, strict input. Bodies over the limit are refused (413) before anything parses them, and a
 * Content-Type that names no concrete type is refused (415); both before security. JSON is strict: text
 * fields take strings only (Jackson would turn {@code "reason": 42} into {@code "42"}), and the HTTP
 * converter reads with limits on strings, nesting and numbers that no request of ours comes near.
 */
@AutoConfiguration(after = {JacksonAutoConfiguration.class, ProblemAutoConfiguration.class},
        before = HttpMessageConvertersAutoConfiguration.class)
@EnableConfigurationProperties(RequestLimits.class)
public class WebInputAutoConfiguration {

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
    @ConditionalOnMissingBean
    @ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
    MappingJackson2HttpMessageConverter mappingJackson2HttpMessageConverter(ObjectMapper mapper) {
        ObjectMapper bounded = mapper.copy();
        bounded.getFactory().setStreamReadConstraints(REQUEST_LIMITS);
        return new MappingJackson2HttpMessageConverter(bounded);
    }

    /** First of all filters: before security and before anything reads the body. */
    @Bean
    @ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
    FilterRegistrationBean<RequestBodyLimit> requestBodyLimit(RequestLimits limits, ProblemWriter problems) {
        FilterRegistrationBean<RequestBodyLimit> registration = new FilterRegistrationBean<>(new RequestBodyLimit(limits, problems));
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
        return registration;
    }

    /**
     * A request whose answer the client would not accept is refused (406) before its handler runs: before a change
     * is made, and before a reading fails as "not writable".
     */
    @Bean
    @ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
    WebMvcConfigurer acceptCheck(ObjectProvider<RequestMappingHandlerAdapter> adapter,
                                 ObjectProvider<ContentNegotiationManager> negotiation) {
        return new WebMvcConfigurer() {
            @Override
            public void addInterceptors(InterceptorRegistry registry) {
                registry.addInterceptor(new AcceptCheck(adapter, negotiation));
            }
        };
    }

    /** For every handler mapping, the actuator's too: see {@link DeclaredAnswerTypes}. */
    @Bean
    @ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
    MappedInterceptor declaredAnswerTypes() {
        return new MappedInterceptor(null, new DeclaredAnswerTypes());
    }

    @Bean
    @ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
    FilterRegistrationBean<MediaTypeHeaderCheck> mediaTypeHeaderCheck(ProblemWriter problems) {
        FilterRegistrationBean<MediaTypeHeaderCheck> registration = new FilterRegistrationBean<>(new MediaTypeHeaderCheck(problems));
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 1);
        return registration;
    }
}
