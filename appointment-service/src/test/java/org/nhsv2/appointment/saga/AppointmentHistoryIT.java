package org.nhsv2.appointment.saga;

import org.junit.jupiter.api.Test;
import org.nhsv2.appointment.IntegrationTest;
import org.nhsv2.platform.testing.Api;
import org.springframework.beans.factory.annotation.Autowired;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.nhsv2.platform.testing.DemoUsers.ALICE;
import static org.nhsv2.platform.testing.DemoUsers.RIVERSIDE;

/** What the saga asks before acting on time, against the real event store: how far an appointment's history goes. */
class AppointmentHistoryIT extends IntegrationTest {

    @Autowired
    private AppointmentHistory history;

    @Test
    void shouldGiveTheSequenceOfTheAppointmentsLastStoredEvent() {
        Api alice = as(ALICE);
        Instant start = freeSlot();
        UUID appointment = UUID.fromString(alice.post("/api/appointments", booking(RIVERSIDE, UUID.randomUUID(), start))
                .text("appointmentId"));
        assertThat(history.lastSequence(appointment)).as("booked").isZero();

        alice.post("/api/appointments/" + appointment + "/reschedule",
                Map.of("start", start.plus(Duration.ofHours(1)).toString(), "reason", "Doctor away"));
        alice.post("/api/appointments/" + appointment + "/cancel", Map.of("reason", "Patient asked"));

        assertThat(history.lastSequence(appointment)).as("moved, then cancelled").isEqualTo(2);
        assertThat(history.lastSequence(UUID.randomUUID())).as("none stored").isEqualTo(-1);
    }
}
