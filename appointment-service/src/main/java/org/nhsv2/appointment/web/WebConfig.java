package org.nhsv2.appointment.web;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.embedded.tomcat.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

import java.util.List;

@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(RequestLimits.class)
class WebConfig implements WebMvcConfigurer {

    @Override
    public void addArgumentResolvers(List<HandlerMethodArgumentResolver> resolvers) {
        resolvers.add(new ActorArgumentResolver());
    }

    /**
     * Tomcat's own error answers as problem documents. Added after Spring Boot's error valve on the
     * host, so that it runs first on the way out.
     */
    @Bean
    WebServerFactoryCustomizer<TomcatServletWebServerFactory> problemErrorReports() {
        return factory -> factory.addContextCustomizers(context ->
                context.getParent().getPipeline().addValve(new ProblemErrorReportValve()));
    }

    /** First of all filters: before security and before anything reads the body. */
    @Bean
    FilterRegistrationBean<RequestBodyLimit> requestBodyLimit(RequestLimits limits, ProblemWriter problems) {
        FilterRegistrationBean<RequestBodyLimit> registration =
                new FilterRegistrationBean<>(new RequestBodyLimit(limits, problems));
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
        return registration;
    }

    @Bean
    FilterRegistrationBean<ContentTypeCheck> contentTypeCheck(ProblemWriter problems) {
        FilterRegistrationBean<ContentTypeCheck> registration = new FilterRegistrationBean<>(new ContentTypeCheck(problems));
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 1);
        return registration;
    }
}
