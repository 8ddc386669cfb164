package org.nhsv2.appointment.api;

import org.nhsv2.platform.api.FieldChange;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** Every stored event of one appointment, oldest first, with who did it and what changed. */
public record AppointmentHistory(UUID appointmentId, List<Entry> entries) {

    public AppointmentHistory {
        entries = List.copyOf(entries);
    }

    public record Entry(long sequence, String type, Instant occurredAt, UUID actorId, String actorRole,
                        String correlationId, List<FieldChange> changes) {
        public Entry {
            changes = List.copyOf(changes);
        }
    }
}
