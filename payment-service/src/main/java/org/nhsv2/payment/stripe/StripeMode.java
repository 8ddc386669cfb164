package org.nhsv2.payment.stripe;

import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * Stripe itself when {@code nhsv2.stripe.secret-key} is set, else the local sandbox. Only the local
 * profile may leave the key out: elsewhere it is a required secret, and the service does not start.
 */
public final class StripeMode {

    static final String SECRET_KEY = "nhsv2.stripe.secret-key";

    private StripeMode() {
    }

    /**
     * An unresolvable {@code ${STRIPE_SECRET_KEY}} (no default outside the local profile) is not the
     * sandbox: the required-secrets check then stops the start and names the variable.
     */
    static boolean sandbox(ConditionContext context) {
        try {
            String key = context.getEnvironment().getProperty(SECRET_KEY);
            return key == null || key.isBlank();
        } catch (IllegalArgumentException unresolvable) {
            return false;
        }
    }

    public static class Sandbox implements Condition {
        @Override
        public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
            return sandbox(context);
        }
    }

    public static class Live implements Condition {
        @Override
        public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
            return !sandbox(context);
        }
    }
}
