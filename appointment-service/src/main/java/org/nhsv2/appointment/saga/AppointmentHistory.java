package org.nhsv2.appointment.saga;

import org.axonframework.eventsourcing.eventstore.EventStore;
import org.springframework.stereotype.Component;

import java.util.UUID;

/**
 * How far an appointment's own history goes in the event store, whatever the saga has read of it: a saga whose
 * segment is held up (Google rate-limiting, the broker away) must not act on time (a reminder, the start) while a
 * change it has not read yet is already stored.
 */
@Component
class AppointmentHistory {

    private final EventStore events;

    AppointmentHistory(EventStore events) {
        this.events = events;
    }

    /** The sequence of the appointment's last stored event; -1 when none is. */
    long lastSequence(UUID appointmentId) {
        return events.lastSequenceNumberFor(appointmentId.toString()).orElse(-1L);
    }
}
