package org.nhsv2.platform.problem;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.axonframework.commandhandling.CommandBus;
import org.nhsv2.platform.api.Rejection;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.autoconfigure.jackson.JacksonAutoConfiguration;
import org.springframework.boot.autoconfigure.web.servlet.error.ErrorMvcAutoConfiguration;
import org.springframework.boot.web.embedded.tomcat.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.boot.web.servlet.error.ErrorController;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Every error a problem document: the advice for what controllers and command handlers raise, the
 * {@code /error} forward, Tomcat's own answers, and command-side rejections turned into
 * {@code CommandExecutionException}s that carry their {@link Rejection}.
 */
@AutoConfiguration(before = ErrorMvcAutoConfiguration.class, after = JacksonAutoConfiguration.class)
public class ProblemAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    ProblemWriter problemWriter(ObjectMapper json) {
        return new ProblemWriter(json);
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
    static class Web {

        @Bean
        @ConditionalOnMissingBean
        ProblemAdvice problemAdvice() {
            return new ProblemAdvice();
        }

        @Bean
        @ConditionalOnMissingBean(ErrorController.class)
        ProblemErrorController problemErrorController() {
            return new ProblemErrorController();
        }

        /** Added after Spring Boot's error valve on the host, so that it runs first on the way out. */
        @Bean
        @ConditionalOnClass(TomcatServletWebServerFactory.class)
        WebServerFactoryCustomizer<TomcatServletWebServerFactory> problemErrorReports() {
            return factory -> factory.addContextCustomizers(context ->
                    context.getParent().getPipeline().addValve(new ProblemErrorReportValve()));
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(CommandBus.class)
    static class Commands {

        /** A service replaces it to name its own "no such …" rejection. */
        @Bean
        @ConditionalOnMissingBean
        RejectionTranslator rejectionTranslator() {
            return new RejectionTranslator(notFound -> SimpleRejection.of("not-found", Rejection.Kind.NOT_FOUND,
                    "No such resource"));
        }

        /** Registered once the bus exists; injecting the bus into a configurer module would wait on itself. */
        @Bean
        SmartInitializingSingleton rejectionTranslatorRegistration(ObjectProvider<CommandBus> commandBus,
                                                                   RejectionTranslator translator) {
            return () -> commandBus.ifAvailable(bus -> bus.registerHandlerInterceptor(translator));
        }
    }
}
