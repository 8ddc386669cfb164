package org.nhsv2.payment.stripe;

import org.nhsv2.payment.command.StripeCheckouts;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;

/** Stripe itself, when a secret key is configured (else the sandbox's configuration applies). */
@Configuration(proxyBeanMethods = false)
@Conditional(StripeMode.Live.class)
class StripeConfig {

    private static final Logger log = LoggerFactory.getLogger(StripeConfig.class);

    /** Static: a bean factory post-processor, made before any other bean. */
    @Bean
    static LiveWebhookSecret liveWebhookSecret() {
        return new LiveWebhookSecret();
    }

    @Bean
    StripeCheckouts stripeCheckouts(StripeSettings settings) {
        log.info("Payments go to Stripe at {}", settings.apiBase());
        return new StripeApi(settings);
    }
}
