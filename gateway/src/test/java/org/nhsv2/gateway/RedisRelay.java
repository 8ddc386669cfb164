package org.nhsv2.gateway;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP relay in front of the local Redis that a test can make misbehave, the way a Redis that is away looks to the
 * gateway:
 * <ul>
 * <li>{@link Mode#FORWARD}: a plain relay;</li>
 * <li>{@link Mode#HANG}: connections are taken but nothing is said, and bytes already on their way are held
 * (not lost) until it forwards again: a hung Redis, or one behind a partition that drops packets;</li>
 * <li>{@link Mode#CUT}: every connection is closed, and new ones closed as soon as taken: Redis stopped.</li>
 * </ul>
 */
final class RedisRelay implements AutoCloseable {

    enum Mode { FORWARD, HANG, CUT }

    private static final String REDIS_HOST = System.getenv().getOrDefault("NHSV2_REDIS_HOST", "127.0.0.1");
    private static final int REDIS_PORT = Integer.parseInt(System.getenv().getOrDefault("NHSV2_REDIS_PORT", "6379"));

    private final ServerSocket server;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final Object gate = new Object();
    private volatile Mode mode;
    private volatile int connectionsTaken;

    RedisRelay(Mode initial) {
        mode = initial;
        try {
            server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        daemon("redis-relay-accept", this::acceptForever);
    }

    int port() {
        return server.getLocalPort();
    }

    int connectionsTaken() {
        return connectionsTaken;
    }

    void mode(Mode next) {
        synchronized (gate) {
            mode = next;
            gate.notifyAll();
        }
        if (next == Mode.CUT) {
            sockets.forEach(RedisRelay::closeQuietly);
            sockets.clear();
        }
    }

    @Override
    public void close() {
        closeQuietly(server);
        sockets.forEach(RedisRelay::closeQuietly);
        synchronized (gate) {
            gate.notifyAll();
        }
    }

    private void acceptForever() {
        while (!server.isClosed()) {
            Socket client;
            try {
                client = server.accept();
            } catch (IOException closed) {
                return;
            }
            connectionsTaken++;
            if (mode == Mode.CUT) {
                closeQuietly(client);
                continue;
            }
            sockets.add(client);
            daemon("redis-relay-connect", () -> relay(client));
        }
    }

    private void relay(Socket client) {
        try {
            awaitForwarding();
            Socket redis = new Socket(REDIS_HOST, REDIS_PORT);
            sockets.add(redis);
            daemon("redis-relay-up", () -> pump(client, redis));
            daemon("redis-relay-down", () -> pump(redis, client));
        } catch (IOException | InterruptedException e) {
            closeQuietly(client);
        }
    }

    /** Copies bytes one way; while the relay hangs, it holds what it has read until forwarding resumes. */
    private void pump(Socket from, Socket to) {
        byte[] buffer = new byte[8192];
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            for (int read; (read = in.read(buffer)) >= 0; ) {
                awaitForwarding();
                out.write(buffer, 0, read);
                out.flush();
            }
        } catch (IOException | InterruptedException e) {
            // Closed by the relay (CUT, close) or by either end.
        } finally {
            closeQuietly(from);
            closeQuietly(to);
        }
    }

    private void awaitForwarding() throws InterruptedException, IOException {
        synchronized (gate) {
            while (mode == Mode.HANG && !server.isClosed()) {
                gate.wait();
            }
        }
        if (mode == Mode.CUT || server.isClosed()) {
            throw new IOException("cut");
        }
    }

    private static void daemon(String name, Runnable task) {
        Thread thread = new Thread(task, name);
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
