package org.nhsv2.e2e;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The platform script/server runs is for this machine: nobody on the same network may reach a service's API
 * (around the gateway's rate limit), its unauthenticated metrics, or the gateway with the demo users' tokens. Read
 * from the kernel's own table of listening sockets, as {@code ss -ltn} would show them.
 */
class LoopbackOnlyIT {

    /**
     * The gateway and the three services, each with its management port. (Keycloak in start-dev, as the scripts run
     * it, listens on localhost by default; one the scripts reused is not theirs to judge.)
     */
    private static final Set<Integer> PLATFORM_PORTS = Set.of(8080, 8081, 8082, 8083, 9080, 9081, 9082, 9083);
    private static final String LISTEN = "0A";

    @Test
    void shouldListenOnLoopbackOnly() throws IOException {
        List<Socket> listening = listeningSockets().filter(socket -> PLATFORM_PORTS.contains(socket.port())).toList();

        assertThat(listening).extracting(Socket::port).as("the platform's ports are open")
                .containsAll(PLATFORM_PORTS);
        assertThat(listening).allSatisfy(socket -> assertThat(socket.address().isLoopbackAddress())
                .as("port %d listens on %s", socket.port(), socket.address().getHostAddress()).isTrue());
    }

    record Socket(InetAddress address, int port) {
    }

    private static Stream<Socket> listeningSockets() throws IOException {
        return Stream.concat(read(Path.of("/proc/net/tcp")), read(Path.of("/proc/net/tcp6")));
    }

    /** Each line: {@code sl local_address remote_address st ...}, the local address as hex {@code ADDRESS:PORT}. */
    private static Stream<Socket> read(Path table) throws IOException {
        if (!Files.exists(table)) {
            return Stream.empty();
        }
        return Files.readAllLines(table).stream().skip(1)
                .map(line -> line.trim().split("\\s+"))
                .filter(fields -> fields[3].equals(LISTEN))
                .map(fields -> socket(fields[1]));
    }

    private static Socket socket(String local) {
        String[] addressAndPort = local.split(":");
        byte[] kernel = HexFormat.of().parseHex(addressAndPort[0]);
        // The kernel prints the address as 32-bit words in host order (little-endian here): each word reversed.
        byte[] address = new byte[kernel.length];
        for (int word = 0; word < kernel.length; word += 4) {
            for (int i = 0; i < 4; i++) {
                address[word + i] = kernel[word + 3 - i];
            }
        }
        try {
            return new Socket(InetAddress.getByAddress(address), Integer.parseInt(addressAndPort[1], 16));
        } catch (UnknownHostException impossible) {
            throw new IllegalStateException(impossible);
        }
    }
}
