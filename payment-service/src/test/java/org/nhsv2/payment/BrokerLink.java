package org.nhsv2.payment;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.HashSet;
import java.util.Set;

/**
 * The services under test reach RabbitMQ through this TCP link, which a test can cut: to them the broker
 * is then unreachable, as if it were down, while the shared broker (and every other module's tests)
 * stays up. Restoring listens on the same port again, so their connection factories simply reconnect.
 */
public final class BrokerLink {

    private static final String BROKER_HOST = System.getenv().getOrDefault("NHSV2_RABBITMQ_HOST", "127.0.0.1");
    private static final int BROKER_PORT = Integer.parseInt(System.getenv().getOrDefault("NHSV2_RABBITMQ_PORT", "5672"));
    private static final BrokerLink INSTANCE = new BrokerLink();

    private final Set<Socket> sockets = new HashSet<>();
    private ServerSocket server;
    private int port;

    private BrokerLink() {
    }

    /** Where the services connect; the link listens from the first call on. */
    public static synchronized int port() {
        if (INSTANCE.port == 0) {
            INSTANCE.listen(0);
        }
        return INSTANCE.port;
    }

    /** Refuses new connections and drops the open ones. */
    public static void cut() {
        INSTANCE.close();
    }

    public static synchronized void restore() {
        if (INSTANCE.server == null) {
            INSTANCE.listen(INSTANCE.port);
        }
    }

    private synchronized void listen(int onPort) {
        try {
            ServerSocket socket = new ServerSocket();
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), onPort));
            server = socket;
            port = socket.getLocalPort();
            thread("broker-link-accept", () -> accept(socket));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on " + onPort, e);
        }
    }

    private synchronized void close() {
        if (server != null) {
            closeQuietly(server);
            server = null;
        }
        sockets.forEach(BrokerLink::closeQuietly);
        sockets.clear();
    }

    private void accept(ServerSocket listening) {
        while (!listening.isClosed()) {
            Socket client;
            try {
                client = listening.accept();
            } catch (IOException closed) {
                return;
            }
            try {
                Socket broker = new Socket(BROKER_HOST, BROKER_PORT);
                if (!track(listening, client, broker)) {
                    continue;
                }
                thread("broker-link-up", () -> pump(client, broker));
                thread("broker-link-down", () -> pump(broker, client));
            } catch (IOException e) {
                closeQuietly(client);
            }
        }
    }

    /** False (and both closed) if the link was cut meanwhile. */
    private synchronized boolean track(ServerSocket listening, Socket client, Socket broker) {
        if (server != listening) {
            closeQuietly(client);
            closeQuietly(broker);
            return false;
        }
        sockets.add(client);
        sockets.add(broker);
        return true;
    }

    private void pump(Socket from, Socket to) {
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            byte[] buffer = new byte[16 * 1024];
            for (int read = in.read(buffer); read >= 0; read = in.read(buffer)) {
                out.write(buffer, 0, read);
                out.flush();
            }
        } catch (IOException ended) {
            // one side closed or the link was cut: end both
        } finally {
            closeQuietly(from);
            closeQuietly(to);
            synchronized (this) {
                sockets.remove(from);
                sockets.remove(to);
            }
        }
    }

    private static void thread(String name, Runnable work) {
        Thread thread = new Thread(work, name);
        thread.setDaemon(true);
        thread.start();
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception ignored) {
            // already closed
        }
    }
}
