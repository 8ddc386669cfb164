package org.nhsv2.platform.messaging;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.core.Binding;
import org.springframework.amqp.core.Exchange;
import org.springframework.amqp.core.Queue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The topology declared in code, exported as RabbitMQ definitions to {@code infra/rabbitmq/} (what a
 * broker in docker-compose loads at start). Fails when the two differ; run with
 * {@code -Dnhsv2.write-definitions=true} to write the file from the code.
 */
class TopologyDefinitionsTest {

    private static final Path FILE = Path.of("..", "infra", "rabbitmq", "definitions.json");
    private static final String VHOST = "nhsv2";

    @Test
    void shouldMatchTheExportedDefinitions() throws IOException {
        String fromCode = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
                .writeValueAsString(definitions()) + "\n";
        if (Boolean.getBoolean("nhsv2.write-definitions")) {
            Files.writeString(FILE, fromCode);
        }

        assertThat(FILE).as("infra/rabbitmq/definitions.json; write it with -Dnhsv2.write-definitions=true").exists();
        assertThat(Files.readString(FILE)).isEqualTo(fromCode);
    }

    @Test
    void shouldGiveEveryQueueADeadLetterQueue() {
        List<Queue> queues = MessagingTopology.declarables().getDeclarablesByType(Queue.class);
        queues.stream().filter(queue -> !queue.getName().endsWith(".dead-letters"))
                .filter(queue -> !queue.getName().equals(MessagingTopology.NOTIFICATION_EMAIL_REQUESTS_LATER)).forEach(queue -> {
            assertThat(queue.isDurable()).isTrue();
            assertThat(queue.getArguments()).containsEntry("x-dead-letter-exchange", MessagingTopology.DEAD_LETTER_EXCHANGE)
                    .containsEntry("x-dead-letter-routing-key", queue.getName());
            assertThat(queues).extracting(Queue::getName).contains(MessagingTopology.deadLetters(queue.getName()));
        });
    }

    @Test
    void shouldSendWhatWaitedLaterBackToTheEmailRequests() {
        Queue later = MessagingTopology.declarables().getDeclarablesByType(Queue.class).stream()
                .filter(queue -> queue.getName().equals(MessagingTopology.NOTIFICATION_EMAIL_REQUESTS_LATER)).findFirst()
                .orElseThrow();
        assertThat(later.getArguments()).containsEntry("x-dead-letter-exchange", "")
                .containsEntry("x-dead-letter-routing-key", MessagingTopology.NOTIFICATION_EMAIL_REQUESTS);
    }

    private static Map<String, Object> definitions() {
        var declarables = MessagingTopology.declarables();
        Map<String, Object> definitions = new LinkedHashMap<>();
        definitions.put("vhosts", List.of(Map.of("name", VHOST)));
        definitions.put("exchanges", declarables.getDeclarablesByType(Exchange.class).stream().map(exchange -> ordered(
                "name", exchange.getName(), "vhost", VHOST, "type", exchange.getType(), "durable", exchange.isDurable(),
                "auto_delete", exchange.isAutoDelete(), "internal", exchange.isInternal(),
                "arguments", new TreeMap<>(exchange.getArguments()))).toList());
        definitions.put("queues", declarables.getDeclarablesByType(Queue.class).stream().map(queue -> ordered(
                "name", queue.getName(), "vhost", VHOST, "durable", queue.isDurable(), "auto_delete", queue.isAutoDelete(),
                "arguments", new TreeMap<>(queue.getArguments()))).toList());
        definitions.put("bindings", declarables.getDeclarablesByType(Binding.class).stream().map(binding -> ordered(
                "source", binding.getExchange(), "vhost", VHOST, "destination", binding.getDestination(),
                "destination_type", "queue", "routing_key", binding.getRoutingKey(),
                "arguments", new TreeMap<>(binding.getArguments()))).toList());
        return definitions;
    }

    private static Map<String, Object> ordered(Object... keysAndValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }
}
