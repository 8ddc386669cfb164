package org.nhsv2.system;

import java.nio.file.Path;

/**
 * A PostgreSQL server of the test's own on a free port (script/lib/postgres-node), which the test may
 * stop and start: the machine's on 5432 is shared and never stopped. Each service gets its database and
 * login role as script/test makes them (role and password {@code nhsv2_<service>}).
 */
final class DatabaseServer implements AutoCloseable {

    private static final LocalServerScript SCRIPT = new LocalServerScript("postgres-node");

    final int port;
    private final Path dir;

    private DatabaseServer(int port) {
        this.port = port;
        this.dir = Path.of("target", "postgres-" + port).toAbsolutePath();
    }

    /** Started, with an empty database for each of these services. */
    static DatabaseServer startOwn(String... services) {
        DatabaseServer server = new DatabaseServer(ServiceProcess.freePort());
        try {
            server.start();
            for (String service : services) {
                String role = role(service);
                server.psql("create role " + role + " login password '" + role + "'");
                server.psql("create database " + role + " owner " + role);
            }
            return server;
        } catch (RuntimeException e) {
            server.stop(); // a half-started server must not outlive the test
            throw e;
        }
    }

    /** The login role of the service, also its password and its database's name. */
    static String role(String service) {
        return "nhsv2_" + service.replace("-service", "");
    }

    String url(String service) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + role(service);
    }

    void start() {
        SCRIPT.run("start", dir.toString(), String.valueOf(port));
    }

    /** Fast: open sessions are ended at once, as a crash of the connections would; committed work stays. */
    void stop() {
        SCRIPT.run("stop", dir.toString());
    }

    private void psql(String statement) {
        SCRIPT.run("psql", dir.toString(), "-c", statement);
    }

    @Override
    public void close() {
        stop();
    }
}
