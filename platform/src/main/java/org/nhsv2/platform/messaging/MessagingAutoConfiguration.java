package org.nhsv2.platform.messaging;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.AmqpRejectAndDontRequeueException;
import org.springframework.amqp.core.Declarables;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.amqp.support.converter.MessageConversionException;
import org.springframework.amqp.support.converter.MessageConverter;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.amqp.RabbitAutoConfiguration;
import org.springframework.boot.autoconfigure.amqp.RabbitProperties;
import org.springframework.boot.autoconfigure.amqp.RabbitRetryTemplateCustomizer;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.context.annotation.Bean;
import org.springframework.retry.RetryCallback;
import org.springframework.retry.RetryContext;
import org.springframework.retry.RetryListener;
import org.springframework.retry.RetryPolicy;
import org.springframework.retry.policy.AlwaysRetryPolicy;
import org.springframework.retry.policy.ExceptionClassifierRetryPolicy;
import org.springframework.retry.policy.SimpleRetryPolicy;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;

/**
 * Integration messages over RabbitMQ as every service sends and reads them: the shared topology,
 * contracts as typed JSON, and a publisher that waits for the broker's confirm. Connection,
 * confirms, retries and dead-lettering are Spring Boot's {@code spring.rabbitmq.*} settings, with
 * the platform's defaults in {@code platform-defaults.properties}.
 */
@AutoConfiguration(before = RabbitAutoConfiguration.class)
@ConditionalOnClass(RabbitTemplate.class)
public class MessagingAutoConfiguration {

    private static final Logger log = LoggerFactory.getLogger(MessagingAutoConfiguration.class);

    @Bean
    Declarables integrationTopology() {
        return MessagingTopology.declarables();
    }

    /** Picked up by Boot for its RabbitTemplate and listener containers alike. */
    @Bean
    MessageConverter contractMessageConverter() {
        return new ContractMessageConverter();
    }

    /**
     * Boot's listener retry would try every failure again; a message that cannot be read, or that its
     * consumer refused outright, goes to its dead-letter queue at once instead of blocking the queue. A
     * failure because the database is away ({@link DatabaseAway}) is tried again for as long as it lasts,
     * at the back-off's longest interval, and does not count toward the attempts: given up on after the
     * usual five (about 15 s), every erasure and email request consumed during an outage of a minute would
     * wait in a dead-letter queue for an operator, and the services that sent them never ask again.
     */
    @Bean
    RabbitRetryTemplateCustomizer unreadableMessagesAreNotRetried(RabbitProperties properties) {
        return (target, template) -> {
            if (target == RabbitRetryTemplateCustomizer.Target.LISTENER) {
                int attempts = properties.getListener().getSimple().getRetry().getMaxAttempts();
                RetryPolicy bounded = new SimpleRetryPolicy(attempts, Map.of(
                        MessageConversionException.class, false,
                        AmqpRejectAndDontRequeueException.class, false), true, true);
                RetryPolicy whileAway = new AlwaysRetryPolicy();
                ExceptionClassifierRetryPolicy policy = new ExceptionClassifierRetryPolicy();
                policy.setExceptionClassifier(failure -> DatabaseAway.among(failure) ? whileAway : bounded);
                template.setRetryPolicy(policy);
                template.registerListener(new RetryListener() {
                    @Override
                    public <T, E extends Throwable> void onError(RetryContext context, RetryCallback<T, E> callback,
                                                                 Throwable failure) {
                        if (DatabaseAway.among(failure)) {
                            log.warn("A message waits: its consumer's database is away ({}); trying again",
                                    rootCause(failure).getClass().getSimpleName());
                        }
                    }
                });
            }
        };
    }

    private static Throwable rootCause(Throwable failure) {
        Throwable cause = failure;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        return cause;
    }

    /** Stamps each message's publishing time by the service's clock, or the system's where it has none. */
    @Bean
    IntegrationMessages integrationMessages(RabbitTemplate rabbit,
                                            @Value("${spring.application.name}") String source,
                                            @Value("${nhsv2.messaging.confirm-timeout:10s}") Duration confirmTimeout,
                                            ObjectProvider<Clock> clock) {
        return new IntegrationMessages(rabbit, source, confirmTimeout, clock.getIfAvailable(Clock::systemUTC));
    }
}
