package org.nhsv2.system;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nhsv2.contracts.Contract;
import org.nhsv2.system.Journeys.Patient;
import org.nhsv2.system.TraceReceiver.ReceivedSpan;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * One booking is one trace. The three services and the gateway run with the OpenTelemetry Java agent
 * (as script/server --traces and docker-compose attach it), exporting to a receiver of the test's own;
 * a booking made through the gateway is then one trace id across the processes: the gateway, the
 * appointment service's request, Axon's command, the projection and the saga, RabbitMQ to
 * notification-service and back. A payment on the sandbox's page is one trace from the gateway through
 * payment-service to the receipt email. Each process's log lines carry the trace id.
 */
class TraceJourneyIT {

    private static final Duration PATIENCE = Duration.ofSeconds(90);
    private static final int RABBIT_PORT = Integer.parseInt(System.getenv().getOrDefault("NHSV2_RABBITMQ_PORT", "5672"));
    private static final Path AGENT = Path.of(System.getProperty("nhsv2.otel.agent", "target/otel/opentelemetry-javaagent.jar"));
    private static final String EMAIL_REQUESTED = Contract.EMAIL_REQUESTED.routingKey();

    private static TraceReceiver receiver;
    private static Map<String, ServiceProcess> services;
    private static ServiceProcess gateway;

    @BeforeAll
    static void startThePlatformWithTheAgent() {
        assertThat(AGENT).as("the agent (the pom copies it in pre-integration-test)").isRegularFile();
        receiver = TraceReceiver.start();
        services = new Stack(RABBIT_PORT, TraceJourneyIT::withAgent)
                .startAll(List.of(Stack.APPOINTMENT, Stack.PAYMENT, Stack.NOTIFICATION, Stack.GATEWAY));
        gateway = services.get(Stack.GATEWAY);
    }

    @AfterAll
    static void stopThePlatform() {
        if (services != null) {
            services.values().forEach(ServiceProcess::close);
        }
        if (receiver != null) {
            receiver.close();
        }
    }

    /** The agent with its defaults, as script/server --traces attaches it, exporting to the receiver without delay. */
    private static List<String> withAgent(String process) {
        List<String> options = new ArrayList<>(List.of("-javaagent:" + AGENT.toAbsolutePath(),
                "-Dotel.service.name=" + process,
                "-Dotel.exporter.otlp.protocol=http/protobuf",
                "-Dotel.exporter.otlp.endpoint=" + receiver.endpoint(),
                "-Dotel.metrics.exporter=none",
                "-Dotel.logs.exporter=none",
                "-Dotel.bsp.schedule.delay=200",
                "-XX:MaxMetaspaceSize=256m")); // the agent's own classes
        if (process.equals(Stack.APPOINTMENT)) {
            // A line per request, so a booking's request logs something in this service
            options.add("-Dlogging.level.org.springframework.web.servlet.DispatcherServlet=DEBUG");
        }
        return options;
    }

    @Test
    void shouldTraceABookingThroughTheGatewayCommandProjectionSagaAndEmailAndBackAsOneTrace() {
        Patient patient = Patient.fresh();
        UUID appointment = Journeys.book(gateway, patient, "Check-up");
        await().atMost(PATIENCE).until(() -> !Journeys.appointment(gateway, appointment).path("emailDeliveredAt").isNull());
        String traceId = traceOf(span -> span.service().equals(Stack.GATEWAY) && span.isKind("SERVER")
                && span.attribute("http.request.method").equals("POST") && span.attribute("url.path").equals("/api/appointments"));

        await().atMost(PATIENCE).untilAsserted(() -> {
            List<ReceivedSpan> trace = receiver.trace(traceId);
            assertHas(trace, Stack.APPOINTMENT, "the request", span -> span.isKind("SERVER")
                    && span.name().equals("POST /api/appointments"));
            assertNamed(trace, Stack.APPOINTMENT, "CommandBus.handleCommand(BookAppointmentCommand)");
            assertNamed(trace, Stack.APPOINTMENT, "AppointmentProjection.on(AppointmentBookedEvent");
            assertNamed(trace, Stack.APPOINTMENT, "AppointmentConfirmationSaga.on(AppointmentBookedEvent");
            assertNamed(trace, Stack.APPOINTMENT, "CommandBus.handleCommand(RecordEmailDeliveredCommand)");
            assertCrossesTheBroker(trace, Stack.APPOINTMENT, EMAIL_REQUESTED, Stack.NOTIFICATION);
            assertCrossesTheBroker(trace, Stack.NOTIFICATION, Contract.EMAIL_DELIVERED.routingKey() + "." + Stack.APPOINTMENT,
                    Stack.APPOINTMENT);
        });
        report("booking", traceId);
        assertThat(receiver.first(span -> span.name().equals("StreamingEventProcessor.batch")))
                .as("a trace of its own per processor batch (axon.tracing.event-processor.distributed-in-same-trace)")
                .isEmpty();
        for (String process : List.of(Stack.GATEWAY, Stack.APPOINTMENT, Stack.NOTIFICATION)) {
            assertThat(services.get(process).log()).as("%s's log", process).content().contains("[" + traceId + "-");
        }
    }

    @Test
    void shouldTraceAPaymentFromTheGatewayThroughPaymentServiceToTheReceiptEmail() {
        Journeys.payFor(gateway, Patient.fresh());
        String traceId = traceOf(span -> span.service().equals(Stack.GATEWAY) && span.isKind("SERVER")
                && span.attribute("http.request.method").equals("POST") && span.attribute("url.path").endsWith("/pay"));

        await().atMost(PATIENCE).untilAsserted(() -> {
            List<ReceivedSpan> trace = receiver.trace(traceId);
            assertHas(trace, Stack.PAYMENT, "the sandbox's pay page", span -> span.isKind("SERVER")
                    && span.attribute("url.path").endsWith("/pay"));
            assertHas(trace, Stack.PAYMENT, "the sandbox's webhook", span -> span.isKind("SERVER")
                    && span.attribute("url.path").equals("/api/stripe/webhook"));
            assertNamed(trace, Stack.PAYMENT, "CommandBus.handleCommand(ApplyStripeFactCommand)");
            assertNamed(trace, Stack.PAYMENT, "TransactionEmails.on(PaymentSucceededEvent");
            assertCrossesTheBroker(trace, Stack.PAYMENT, EMAIL_REQUESTED, Stack.NOTIFICATION);
        });
        report("payment", traceId);
    }

    /** The trace id of the first span that matches, once one has arrived. */
    private static String traceOf(Predicate<ReceivedSpan> root) {
        return await().atMost(PATIENCE).until(() -> receiver.first(root), Optional::isPresent).orElseThrow().traceId();
    }

    private static void assertHas(List<ReceivedSpan> trace, String service, String what, Predicate<ReceivedSpan> wanted) {
        assertThat(trace).as("%s in the trace", what).anyMatch(span -> span.service().equals(service) && wanted.test(span));
    }

    /** Axon names its spans after the handler or bus and the message's payload type. */
    private static void assertNamed(List<ReceivedSpan> trace, String service, String prefix) {
        assertHas(trace, service, service + "'s " + prefix + "...", span -> span.name().startsWith(prefix));
    }

    /** {@code from} publishes under {@code routingKey} and {@code to}'s consumer of it is that publish's child. */
    private static void assertCrossesTheBroker(List<ReceivedSpan> trace, String from, String routingKey, String to) {
        List<String> published = trace.stream().filter(span -> span.service().equals(from) && span.isKind("PRODUCER")
                        && span.attribute("messaging.rabbitmq.destination.routing_key").equals(routingKey))
                .map(ReceivedSpan::spanId).toList();
        assertThat(published).as("%s publishing %s in the trace", from, routingKey).isNotEmpty();
        assertThat(trace).as("%s consuming %s in the trace, as a child of %s's publish", to, routingKey, from)
                .anyMatch(span -> span.service().equals(to) && span.isKind("CONSUMER")
                        && published.contains(span.parentSpanId()));
    }

    /** Spans per process on the console; the whole trace, span by span, in target/traces. */
    private static void report(String journey, String traceId) {
        List<ReceivedSpan> trace = receiver.trace(traceId);
        System.out.printf("%s trace %s, spans per process: %s%n", journey, traceId, receiver.countsByService(traceId));
        String listing = trace.stream().sorted(Comparator.comparing(ReceivedSpan::service))
                .map(span -> String.join(" ", span.service(), span.kind(), span.name(), span.spanId(), "<-",
                        span.parentSpanId(), span.attributes().toString()))
                .collect(Collectors.joining("\n", "", "\n"));
        try {
            Files.writeString(Files.createDirectories(Path.of("target", "traces")).resolve(journey + "-" + traceId + ".txt"),
                    listing);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
