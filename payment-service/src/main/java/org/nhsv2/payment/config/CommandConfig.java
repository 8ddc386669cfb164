package org.nhsv2.payment.config;

import org.axonframework.deadline.DeadlineManager;
import org.axonframework.messaging.correlation.CorrelationDataProvider;
import org.axonframework.messaging.correlation.SimpleCorrelationDataProvider;
import org.nhsv2.payment.api.ApplyStripeFactCommand;
import org.nhsv2.payment.api.PaymentError;
import org.nhsv2.payment.api.PaymentRejection;
import org.nhsv2.platform.api.Actor;
import org.nhsv2.platform.problem.RejectionTranslator;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.util.Set;

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

    /**
     * A deadline would otherwise carry the metadata of the command that scheduled it, and what it causes
     * (an expiry found at Stripe) would read as that user's doing. It is the service's.
     */
    @Bean
    SmartInitializingSingleton deadlinesActAsTheService(DeadlineManager deadlines) {
        return () -> deadlines.registerDispatchInterceptor(messages -> (index, message) -> message.withMetaData(
                message.getMetaData().withoutKeys(Set.of(Actor.ID, Actor.ROLE, Actor.FACILITIES,
                        ApplyStripeFactCommand.STRIPE_EVENT_ID))));
    }
}
