package org.nhsv2.system;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitTemplate;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Where a patient's clear text could be left behind: every table of a service's database (text
 * columns, and bytea ones such as event payloads, read as hex), every queue of the platform's vhost,
 * every Redis entry under a key prefix. Each finder names where it found the text.
 */
final class Leftovers {

    private Leftovers() {
    }

    static List<String> inDatabase(String url, String user, String text) {
        List<String> found = new ArrayList<>();
        String hex = HexFormat.of().formatHex(text.getBytes(StandardCharsets.UTF_8));
        try (Connection db = DriverManager.getConnection(url, user, user)) {
            List<String> tables = new ArrayList<>();
            try (ResultSet rs = db.createStatement().executeQuery("""
                    select quote_ident(table_name) from information_schema.tables
                    where table_schema = 'public' and table_type = 'BASE TABLE'""")) {
                while (rs.next()) {
                    tables.add(rs.getString(1));
                }
            }
            for (String table : tables) {
                try (PreparedStatement query = db.prepareStatement(
                        "select count(*) from " + table + " t where t::text ilike ? or t::text ilike ?")) {
                    query.setString(1, "%" + text + "%");
                    query.setString(2, "%" + hex + "%");
                    try (ResultSet rs = query.executeQuery()) {
                        rs.next();
                        if (rs.getLong(1) > 0) {
                            found.add(url.substring(url.lastIndexOf('/') + 1) + "." + table);
                        }
                    }
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read " + url, e);
        }
        return found;
    }

    /** Takes every message out of every queue in infra/rabbitmq/definitions.json and names those holding the text. */
    static List<String> inQueues(int port, String text) {
        List<String> found = new ArrayList<>();
        CachingConnectionFactory connection = Broker.connection(port);
        try {
            RabbitTemplate rabbit = new RabbitTemplate(connection);
            for (String queue : queues()) {
                Message message;
                while ((message = rabbit.receive(queue)) != null) {
                    if (new String(message.getBody(), StandardCharsets.UTF_8).contains(text)) {
                        found.add(queue);
                    }
                }
            }
        } finally {
            connection.destroy();
        }
        return found;
    }

    static List<String> inRedis(String keyPrefix, String text) {
        List<String> found = new ArrayList<>();
        for (String key : redis("--scan", "--pattern", keyPrefix + "*")) {
            String type = String.join("", redis("type", key)).trim();
            List<String> values = switch (type) {
                case "string" -> redis("get", key);
                case "hash" -> redis("hgetall", key);
                case "list" -> redis("lrange", key, "0", "-1");
                case "set" -> redis("smembers", key);
                case "zset" -> redis("zrange", key, "0", "-1");
                default -> List.of();
            };
            if (values.stream().anyMatch(value -> value.contains(text))) {
                found.add("redis " + key);
            }
        }
        return found;
    }

    private static List<String> queues() {
        try {
            JsonNode definitions = new ObjectMapper().readTree(Path.of("..", "infra", "rabbitmq", "definitions.json").toFile());
            List<String> names = new ArrayList<>();
            definitions.path("queues").forEach(queue -> names.add(queue.path("name").asText()));
            return names;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<String> redis(String... arguments) {
        List<String> command = new ArrayList<>(List.of("redis-cli", "--raw", "-p",
                System.getenv().getOrDefault("REDIS_PORT", "6379")));
        command.addAll(List.of(arguments));
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            process.waitFor();
            return output.isBlank() ? List.of() : List.of(output.split("\n"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
