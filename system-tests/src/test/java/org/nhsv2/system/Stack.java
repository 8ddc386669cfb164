package org.nhsv2.system;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/**
 * The services as a set, each its own process, sharing one RabbitMQ vhost and each with the system
 * tests' own database (script/test recreates them): the settings that make them a platform.
 */
final class Stack {

    static final String APPOINTMENT = "appointment-service";
    static final String PAYMENT = "payment-service";
    static final String NOTIFICATION = "notification-service";

    private final int rabbitPort;
    private final String cachePrefix = "nhsv2-system-" + UUID.randomUUID() + ":";

    Stack(int rabbitPort) {
        this.rabbitPort = rabbitPort;
    }

    static String databaseUrl(String service) {
        String name = service.replace("-service", "");
        return System.getenv().getOrDefault("NHSV2_SYSTEM_" + name.toUpperCase() + "_DB_URL",
                "jdbc:postgresql://127.0.0.1:5432/nhsv2_system_" + name);
    }

    String cachePrefix() {
        return cachePrefix;
    }

    ServiceProcess start(String service) {
        return start(service, Map.of());
    }

    /** With settings of the test's own on top of the platform's. */
    ServiceProcess start(String service, Map<String, String> extra) {
        Map<String, String> settings = settings(service);
        settings.putAll(extra);
        return ServiceProcess.start(service, settings);
    }

    /** Starts them side by side: a cold start takes most of a minute on two cores. */
    Map<String, ServiceProcess> startAll(List<String> services) {
        Map<String, CompletableFuture<ServiceProcess>> starting = new HashMap<>();
        services.forEach(service -> starting.put(service, CompletableFuture.supplyAsync(() -> start(service))));
        Map<String, ServiceProcess> started = new HashMap<>();
        starting.forEach((service, future) -> started.put(service, future.join()));
        return started;
    }

    private Map<String, String> settings(String service) {
        Map<String, String> settings = new HashMap<>();
        settings.put("spring.datasource.url", databaseUrl(service));
        settings.put("spring.rabbitmq.port", String.valueOf(rabbitPort));
        settings.put("spring.rabbitmq.virtual-host", Broker.VHOST);
        // Retries and re-requests within a test's patience, not production's
        settings.put("spring.rabbitmq.listener.simple.retry.initial-interval", "200ms");
        settings.put("spring.rabbitmq.listener.simple.retry.max-interval", "1s");
        settings.put("logging.level.org.nhsv2", "INFO");
        if (service.equals(APPOINTMENT)) {
            settings.put("nhsv2.cache.key-prefix", cachePrefix);
            settings.put("db-scheduler.polling-interval", "1s");
        }
        if (service.equals(PAYMENT)) {
            settings.put("db-scheduler.polling-interval", "1s");
            // The sandbox's checkout page posts Stripe's webhooks to the service's own URL.
            settings.put("nhsv2.stripe.public-base-url", "http://localhost:" + ServiceProcess.PORT);
        }
        return settings;
    }
}
