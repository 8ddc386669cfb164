package org.nhsv2.system;

import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A RabbitMQ node of the test's own on a free port (script/lib/rabbitmq-node), which the test may
 * stop and start: the machine's broker on 5672 is shared and never stopped.
 */
final class Broker implements AutoCloseable {

    static final String VHOST = "nhsv2_test_system";
    static final String USER = "nhsv2";
    static final String PASSWORD = "fake-local-rabbitmq-password";
    private static final LocalServerScript SCRIPT = new LocalServerScript("rabbitmq-node");

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
        SCRIPT.run("start", dir.toString(), String.valueOf(port), String.valueOf(epmdPort), String.valueOf(distributionPort));
    }

    void stop() {
        SCRIPT.run("stop", dir.toString());
    }

    void ctl(String... arguments) {
        SCRIPT.run(ctlArguments(arguments));
    }

    /** What rabbitmqctl printed (without its banners). */
    String ctlOutput(String... arguments) {
        return SCRIPT.output(ctlArguments(arguments));
    }

    /** A queue of the platform's vhost: messages waiting, and delivered but not yet acknowledged. */
    record Queue(String name, long messages, long unacknowledged) {
        boolean isDeadLetters() {
            return name.endsWith(".dead-letters");
        }
    }

    /** The queues of the platform's vhost as the node counts them now. */
    List<Queue> queues() {
        List<Queue> queues = new ArrayList<>();
        for (String line : ctlOutput("list_queues", "-p", VHOST, "--no-table-headers", "name", "messages",
                "messages_unacknowledged").split("\\n")) {
            String[] columns = line.trim().split("\\s+");
            if (columns.length == 3 && columns[1].matches("\\d+") && columns[2].matches("\\d+")) {
                queues.add(new Queue(columns[0], Long.parseLong(columns[1]), Long.parseLong(columns[2])));
            }
        }
        return queues;
    }

    private String[] ctlArguments(String... arguments) {
        String[] command = new String[arguments.length + 2];
        command[0] = "ctl";
        command[1] = dir.toString();
        System.arraycopy(arguments, 0, command, 2, arguments.length);
        return command;
    }

    @Override
    public void close() {
        stop();
    }
}
