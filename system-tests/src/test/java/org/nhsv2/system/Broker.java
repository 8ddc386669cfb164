package org.nhsv2.system;

import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A RabbitMQ node of the test's own on a free port (script/lib/rabbitmq-node), which the test may
 * stop and start: the machine's broker on 5672 is shared and never stopped.
 */
final class Broker implements AutoCloseable {

    static final String VHOST = "nhsv2_test_system";
    static final String USER = "nhsv2";
    static final String PASSWORD = "fake-local-rabbitmq-password";
    private static final Path SCRIPT = Path.of("..", "script", "lib", "rabbitmq-node");

    final int port;
    private final int epmdPort = ServiceProcess.freePort();
    private final int distributionPort = ServiceProcess.freePort();
    private final Path dir;

    private Broker(int port) {
        this.port = port;
        this.dir = Path.of("target", "rabbitmq-" + port).toAbsolutePath();
    }

    static Broker startOwn() {
        Broker broker = new Broker(ServiceProcess.freePort());
        try {
            broker.start();
            broker.ctl("add_user", USER, PASSWORD);
            broker.ctl("add_vhost", VHOST);
            broker.ctl("set_permissions", "-p", VHOST, USER, ".*", ".*", ".*");
            return broker;
        } catch (RuntimeException e) {
            broker.stop(); // a half-started node and its epmd must not outlive the test
            throw e;
        }
    }

    /** A connection to the platform's vhost on the broker at {@code port}, as the services connect; destroy it after. */
    static CachingConnectionFactory connection(int port) {
        CachingConnectionFactory connection = new CachingConnectionFactory("127.0.0.1", port);
        connection.setUsername(USER);
        connection.setPassword(PASSWORD);
        connection.setVirtualHost(VHOST);
        return connection;
    }

    void start() {
        run(List.of("bash", SCRIPT.toString(), "start", dir.toString(), String.valueOf(port), String.valueOf(epmdPort),
                String.valueOf(distributionPort)));
    }

    void stop() {
        run(List.of("bash", SCRIPT.toString(), "stop", dir.toString()));
    }

    void ctl(String... arguments) {
        List<String> command = new java.util.ArrayList<>(List.of("bash", SCRIPT.toString(), "ctl", dir.toString()));
        command.addAll(List.of(arguments));
        run(command);
    }

    @Override
    public void close() {
        stop();
    }

    private static void run(List<String> command) {
        try {
            Process process = new ProcessBuilder(command).inheritIO().start();
            if (!process.waitFor(120, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
