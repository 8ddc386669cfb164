package org.nhsv2.system;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;

/**
 * The services as a set, each its own process, sharing one RabbitMQ vhost and each with the system
 * tests' own database (script/test recreates them): the settings that make them a platform. With the
 * gateway among them, it routes to these services and is where browsers reach the checkout pages.
 */
final class Stack {

    static final String APPOINTMENT = "appointment-service";
    static final String PAYMENT = "payment-service";
    static final String NOTIFICATION = "notification-service";
    static final String GATEWAY = "gateway";

    private final int rabbitPort;
    private final Function<String, List<String>> jvmOptions;
    private final String cachePrefix = "nhsv2-system-" + UUID.randomUUID() + ":";

    Stack(int rabbitPort) {
        this(rabbitPort, service -> List.of());
    }

    /** Each process started with the JVM options {@code jvmOptions} gives for its name. */
    Stack(int rabbitPort, Function<String, List<String>> jvmOptions) {
        this.rabbitPort = rabbitPort;
        this.jvmOptions = jvmOptions;
    }

    static String databaseUrl(String service) {
        String name = service.replace("-service", "");
        return System.getenv().getOrDefault("NHSV2_SYSTEM_" + name.toUpperCase() + "_DB_URL",
                "jdbc:postgresql://127.0.0.1:5432/nhsv2_system_" + name);
    }

    /**
     * The vhost the services share: the system tests' own, which script/test recreates, or another that
     * {@code NHSV2_SYSTEM_VHOST} names for a run beside script/test (on the machine's broker only).
     */
    static String vhost() {
        return System.getenv().getOrDefault("NHSV2_SYSTEM_VHOST", Broker.VHOST);
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
        Map<String, ServiceProcess> processes = new LinkedHashMap<>();
        services.stream().filter(service -> !service.equals(GATEWAY)).forEach(service ->
                processes.put(service, ServiceProcess.of(service, jvmOptions.apply(service), settings(service))));
        if (services.contains(GATEWAY)) {
            ServiceProcess gateway = ServiceProcess.of(GATEWAY, jvmOptions.apply(GATEWAY), gatewaySettings(processes));
            processes.put(GATEWAY, gateway);
            if (processes.containsKey(PAYMENT)) {
                processes.get(PAYMENT).set("nhsv2.stripe.public-base-url", gateway.url());
            }
        }
        ExecutorService starters = Executors.newFixedThreadPool(processes.size());
        try {
            CompletableFuture.allOf(processes.values().stream()
                    .map(process -> CompletableFuture.runAsync(process::start, starters))
                    .toArray(CompletableFuture[]::new)).join();
        } catch (RuntimeException e) {
            processes.values().forEach(ServiceProcess::close); // none outlives a failed start
            throw e;
        } finally {
            starters.shutdown();
        }
        return processes;
    }

    /** The routes' targets are these services; its rate limits in Redis under this stack's prefix. */
    private Map<String, String> gatewaySettings(Map<String, ServiceProcess> services) {
        Map<String, String> settings = new HashMap<>();
        settings.put("nhsv2.gateway.rate-limit.key-prefix", cachePrefix + "gateway");
        services.forEach((service, process) ->
                settings.put("NHSV2_" + service.replace("-service", "").toUpperCase() + "_URL", process.url()));
        return settings;
    }

    private Map<String, String> settings(String service) {
        Map<String, String> settings = new HashMap<>();
        settings.put("spring.datasource.url", databaseUrl(service));
        settings.put("spring.rabbitmq.port", String.valueOf(rabbitPort));
        settings.put("spring.rabbitmq.virtual-host", vhost());
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
