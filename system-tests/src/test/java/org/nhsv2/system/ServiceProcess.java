package org.nhsv2.system;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;

/**
 * One service started from its own jar as a separate JVM, on free ports, in the local profile, so
 * a test can stop it, kill it (-9) and start it again. Its log goes to {@code target/system-logs}.
 * JVM options of the test's own (an agent, say) come before the jar.
 */
final class ServiceProcess implements AutoCloseable {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final String VERSION = System.getProperty("nhsv2.version", "0.1.0-SNAPSHOT");

    /** In a setting's value: this process's own API port. */
    static final String PORT = "{port}";

    final String name;
    final int port;
    final int managementPort;
    private final List<String> jvmOptions;
    private final Map<String, String> settings;
    private Process process;
    private Path log;
    private int starts;

    private ServiceProcess(String name, List<String> jvmOptions, Map<String, String> settings) {
        this.name = name;
        this.port = freePort();
        this.managementPort = freePort();
        this.jvmOptions = List.copyOf(jvmOptions);
        this.settings = new LinkedHashMap<>(settings);
        this.settings.put("server.port", String.valueOf(port));
        this.settings.put("management.server.port", String.valueOf(managementPort));
    }

    /** Starts {@code name} (a module of this repository) with these Spring properties and waits until it is ready. */
    static ServiceProcess start(String name, Map<String, String> settings) {
        ServiceProcess service = of(name, List.of(), settings);
        service.start();
        return service;
    }

    /** Not started yet, but its ports are chosen: others can be told where it will listen. */
    static ServiceProcess of(String name, List<String> jvmOptions, Map<String, String> settings) {
        return new ServiceProcess(name, jvmOptions, settings);
    }

    /** A Spring property for the next start. */
    void set(String key, String value) {
        settings.put(key, value);
    }

    /** The log of the latest start. */
    Path log() {
        return log;
    }

    String url() {
        return "http://localhost:" + port;
    }

    void start() {
        Path jar = Path.of("..", name, "target", name + "-" + VERSION + ".jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: the services are packaged before these tests run");
        }
        List<String> command = new ArrayList<>(List.of(javaBinary(), "-Xms64m", "-Xmx384m", "-XX:MaxMetaspaceSize=192m",
                "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"));
        command.addAll(jvmOptions); // after the defaults: the last of a repeated -XX option wins
        command.addAll(List.of("-jar", jar.toString(), "--spring.profiles.active=local"));
        settings.forEach((key, value) -> command.add("--" + key + "=" + value.replace(PORT, String.valueOf(port))));
        try {
            Path logs = Files.createDirectories(Path.of("target", "system-logs"));
            log = logs.resolve(name + "-" + port + "-" + (++starts) + ".log");
            process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + name, e);
        }
        try {
            // Four JVMs (with agents, in TraceJourneyIT) starting side by side on two cores may take minutes.
            await().atMost(Duration.ofSeconds(300)).pollInterval(Duration.ofMillis(500)).until(() -> {
                if (!process.isAlive()) {
                    throw new IllegalStateException(name + " exited during start (exit " + process.exitValue()
                            + "); see target/system-logs");
                }
                return ready();
            });
        } catch (RuntimeException e) {
            kill();
            throw e;
        }
    }

    /** The process id of the latest start: Axon names a tracking processor's owner {@code pid@host}. */
    long pid() {
        return process.pid();
    }

    /** SIGKILL: no shutdown hook, no graceful anything, as a crash. */
    void kill() {
        process.destroyForcibly();
        waitForExit();
    }

    /** SIGTERM: a graceful stop. */
    void stop() {
        process.destroy();
        waitForExit();
    }

    @Override
    public void close() {
        if (process != null && process.isAlive()) {
            stop();
        }
    }

    private boolean ready() {
        try {
            HttpResponse<String> health = HTTP.send(HttpRequest.newBuilder(
                    URI.create("http://localhost:" + managementPort + "/actuator/health/readiness"))
                    .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
            return health.statusCode() == 200 && health.body().contains("\"UP\"");
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private void waitForExit() {
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
