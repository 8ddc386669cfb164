package org.nhsv2.appointment.query;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BiConsumer;

/**
 * The writes of one event-processing batch to {@code appointment_view}, sent as one JDBC batch per
 * statement rather than a statement per event: when the batch prepares to commit, before anything
 * reads the view within it, and whenever holding a write back could reorder two writes of one
 * appointment.
 *
 * <p>Only an appointment's own order matters: each update is guarded by its event's sequence number,
 * so an older write sent after a newer one would be lost. The insert's group goes first, the others
 * in the order they first appeared; so an appointment's writes keep their order while they are all
 * of one statement, or an insert followed by writes of one other statement. A write that would break
 * this sends what is queued first.
 */
final class ViewWriteBatch {

    private final String insert;
    private final BiConsumer<String, List<Object[]>> sender;
    private final Map<String, List<Object[]>> queued = new LinkedHashMap<>();
    private final Map<UUID, String> lastStatementOf = new HashMap<>();

    /**
     * @param insert the statement that creates a row, which no other write of its row can precede
     * @param sender sends one statement with every argument list given, in that order
     */
    ViewWriteBatch(String insert, BiConsumer<String, List<Object[]>> sender) {
        this.insert = insert;
        this.sender = sender;
    }

    void add(String statement, UUID appointmentId, Object... arguments) {
        String last = lastStatementOf.get(appointmentId);
        if (last != null && !last.equals(statement) && !last.equals(insert)) {
            send();
        }
        lastStatementOf.put(appointmentId, statement);
        queued.computeIfAbsent(statement, key -> new ArrayList<>()).add(arguments);
    }

    /** Sends every queued write; afterwards nothing is queued. */
    void send() {
        List<Object[]> inserts = queued.remove(insert);
        if (inserts != null) {
            sender.accept(insert, inserts);
        }
        queued.forEach(sender);
        queued.clear();
        lastStatementOf.clear();
    }
}
