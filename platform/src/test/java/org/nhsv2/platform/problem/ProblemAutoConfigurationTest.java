package org.nhsv2.platform.problem;

import org.junit.jupiter.api.Test;
import org.nhsv2.platform.api.Rejection;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.jackson.JacksonAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.web.servlet.error.ErrorController;

import static org.assertj.core.api.Assertions.assertThat;

class ProblemAutoConfigurationTest {

    private final AutoConfigurations configurations = AutoConfigurations.of(JacksonAutoConfiguration.class,
            ProblemAutoConfiguration.class);

    @Test
    void shouldAnswerEveryErrorOfAWebServiceAsAProblem() {
        new WebApplicationContextRunner().withConfiguration(configurations).run(context -> assertThat(context)
                .hasSingleBean(ProblemAdvice.class).hasSingleBean(ProblemWriter.class)
                .hasSingleBean(RejectionTranslator.class).getBean(ErrorController.class)
                .isInstanceOf(ProblemErrorController.class));
    }

    @Test
    void shouldTranslateRejectionsButAnswerNoHttpOutsideAWebApplication() {
        new ApplicationContextRunner().withConfiguration(configurations).run(context -> assertThat(context)
                .hasSingleBean(RejectionTranslator.class).doesNotHaveBean(ProblemAdvice.class)
                .doesNotHaveBean(ErrorController.class));
    }

    @Test
    void shouldKeepTheServicesOwnTranslatorWhenItDefinesOne() {
        RejectionTranslator own = new RejectionTranslator(notFound -> SimpleRejection.of("appointment-not-found",
                Rejection.Kind.NOT_FOUND, "No such appointment"));
        new ApplicationContextRunner().withConfiguration(configurations).withBean(RejectionTranslator.class, () -> own)
                .run(context -> assertThat(context.getBean(RejectionTranslator.class)).isSameAs(own));
    }
}
