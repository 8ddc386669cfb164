package org.nhsv2.payment.config;

import org.axonframework.messaging.correlation.CorrelationDataProvider;
import org.axonframework.messaging.correlation.SimpleCorrelationDataProvider;
import org.nhsv2.payment.api.ApplyStripeFactCommand;
import org.nhsv2.payment.api.PaymentError;
import org.nhsv2.payment.api.PaymentRejection;
import org.nhsv2.platform.problem.RejectionTranslator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class CommandConfig {

    /** A command for a transaction that does not exist answers "transaction-not-found". */
    @Bean
    RejectionTranslator rejectionTranslator() {
        return new RejectionTranslator(notFound -> PaymentRejection.of(PaymentError.TRANSACTION_NOT_FOUND));
    }

    /** The Stripe event a webhook delivered travels onto every event it causes: the audit trail. */
    @Bean
    CorrelationDataProvider stripeEventCorrelationProvider() {
        return new SimpleCorrelationDataProvider(ApplyStripeFactCommand.STRIPE_EVENT_ID);
    }
}
