package org.nhsv2.payment.stripe;

import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.context.EnvironmentAware;
import org.springframework.core.env.Environment;

/**
 * With a Stripe key, webhooks must be signed with that Stripe account's own secret. The local profile's fake
 * secret is committed to the repository: a service that took it would let anyone sign a
 * {@code checkout.session.completed} and mark transactions paid. So the service refuses to start, before any bean
 * is made (as it does without its secrets), when a Stripe key is set and the webhook secret is the fake one or
 * missing. The sandbox keeps the fake one: it signs its own events with it, and no money moves.
 */
class LiveWebhookSecret implements BeanFactoryPostProcessor, EnvironmentAware {

    /** The local profile's default (application-local.yml). */
    static final String LOCAL_FAKE = "whsec_fake_local_webhook_secret_000000000";
    static final String PROPERTY = "nhsv2.stripe.webhook-secret";

    private Environment environment;

    @Override
    public void setEnvironment(Environment environment) {
        this.environment = environment;
    }

    @Override
    public void postProcessBeanFactory(ConfigurableListableBeanFactory beanFactory) {
        String secret;
        try {
            secret = environment.getProperty(PROPERTY);
        } catch (IllegalArgumentException unresolvable) {
            return; // no STRIPE_WEBHOOK_SECRET outside the local profile: the required-secrets check names it
        }
        if (secret == null || secret.isBlank() || secret.equals(LOCAL_FAKE)) {
            throw new IllegalStateException("A Stripe key is set (STRIPE_SECRET_KEY), but the webhook secret is "
                    + (secret == null || secret.isBlank() ? "missing" : "the local profile's public fake one")
                    + ": set STRIPE_WEBHOOK_SECRET (" + PROPERTY + ") to the signing secret of that Stripe account's "
                    + "webhook endpoint (whsec_...), or unset STRIPE_SECRET_KEY to use the sandbox.");
        }
    }
}
