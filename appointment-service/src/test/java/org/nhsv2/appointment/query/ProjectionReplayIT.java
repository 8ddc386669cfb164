package org.nhsv2.appointment.query;

import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.config.EventProcessingConfiguration;
import org.junit.jupiter.api.Test;
import org.nhsv2.appointment.IntegrationTest;
import org.nhsv2.appointment.api.RecordEmailDeliveredCommand;
import org.nhsv2.appointment.api.RecordEmailFailedCommand;
import org.nhsv2.platform.testing.Api;
import org.nhsv2.platform.testing.Projections;
import org.springframework.beans.factory.annotation.Autowired;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.nhsv2.platform.testing.DemoUsers.ADMIN;
import static org.nhsv2.platform.testing.DemoUsers.ALICE;
import static org.nhsv2.platform.testing.DemoUsers.RIVERSIDE;

/** Replaying every event from the start rebuilds exactly the rows the live projection wrote. */
class ProjectionReplayIT extends IntegrationTest {

    private static final String ALL_ROWS = "select * from appointment_view order by appointment_id";
    private static final Map<String, String> VIEW = Map.of("appointment_view", "appointment_id");

    @Autowired
    private EventProcessingConfiguration processing;
    @Autowired
    private CommandGateway commands;

    @Test
    void shouldRebuildIdenticalRowsWhenTheProjectionIsReplayed() {
        Api alice = as(ALICE);
        Instant start = freeSlot();
        String moved = alice.post("/api/appointments", booking(RIVERSIDE, UUID.randomUUID(), start)).text("appointmentId");
        alice.post("/api/appointments/" + moved + "/reschedule",
                Map.of("start", start.plus(Duration.ofHours(1)).toString(), "reason", "moved"));
        String cancelled = alice.post("/api/appointments", booking(RIVERSIDE, UUID.randomUUID(), start)).text("appointmentId");
        alice.post("/api/appointments/" + cancelled + "/cancel", Map.of("reason", "no longer needed"));
        Projections.awaitCaughtUp(processing, AppointmentProjection.PROCESSING_GROUP);
        List<Map<String, Object>> before = jdbc.queryForList(ALL_ROWS);
        assertThat(before).extracting(row -> row.get("appointment_id").toString()).contains(moved, cancelled);

        Projections.replay(processing, AppointmentProjection.PROCESSING_GROUP);

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(jdbc.queryForList(ALL_ROWS)).isEqualTo(before));
    }

    @Test
    void shouldRebuildAViewOfEveryKindOfHistoryWithTheSameChecksum() {
        Api alice = as(ALICE);
        Instant start = freeSlot();
        String booked = book(start);
        String moved = book(start.plus(Duration.ofHours(1)));
        assertThat(alice.post("/api/appointments/" + moved + "/reschedule", Map.of("start",
                start.plus(Duration.ofHours(2)).toString(), "reason", "moved")).status()).isIn(200, 202);
        String cancelled = book(start.plus(Duration.ofHours(3)));
        assertThat(alice.post("/api/appointments/" + cancelled + "/cancel", Map.of("reason", "no longer needed")).status())
                .isIn(200, 202);
        commands.sendAndWait(new RecordEmailDeliveredCommand(UUID.fromString(booked), UUID.randomUUID(), "sg-replay",
                clock.instant().truncatedTo(ChronoUnit.MILLIS)));
        commands.sendAndWait(new RecordEmailFailedCommand(UUID.fromString(moved), UUID.randomUUID(),
                "SendGrid refused the email (400)", true));
        UUID erasedPatient = UUID.randomUUID();
        String erased = book(erasedPatient, start.plus(Duration.ofMinutes(30)));
        assertThat(as(ADMIN).delete("/api/patients/" + erasedPatient + "/personal-data?basis=DATA_SUBJECT_REQUEST").status()).isEqualTo(200);
        // Soon, and then over: attended and missed (the clock moves a few hours, short of other tests' slots).
        Instant soon = clock.instant().plus(Duration.ofHours(2)).truncatedTo(ChronoUnit.MINUTES);
        String fulfilled = book(soon);
        String missed = book(soon.plus(Duration.ofMinutes(30)));
        clock.advance(Duration.ofHours(3));
        assertThat(alice.post("/api/appointments/" + fulfilled + "/fulfil", null).status()).isIn(200, 202);
        assertThat(alice.post("/api/appointments/" + missed + "/no-show", null).status()).isIn(200, 202);
        Projections.awaitCaughtUp(processing, AppointmentProjection.PROCESSING_GROUP);
        assertThat(jdbc.queryForList("select status from appointment_view where appointment_id in (?::uuid, ?::uuid,"
                + " ?::uuid, ?::uuid, ?::uuid, ?::uuid)", String.class, booked, moved, cancelled, erased, fulfilled, missed))
                .containsExactlyInAnyOrder("BOOKED", "BOOKED", "CANCELLED", "BOOKED", "FULFILLED", "NO_SHOW");

        Projections.Rebuild rebuild = Projections.rebuild(processing, jdbc, AppointmentProjection.PROCESSING_GROUP, VIEW);

        assertThat(rebuild.eventsAfter()).as("nothing written meanwhile").isEqualTo(rebuild.events());
        assertThat(rebuild.after()).isEqualTo(rebuild.before());
        System.out.printf("projection rebuild, appointment-view: %d events replayed, %d rows, md5 before %s, after %s%n",
                rebuild.events(), rebuild.after().totalRows(), rebuild.before().md5(), rebuild.after().md5());
    }

    private String book(Instant start) {
        return book(UUID.randomUUID(), start);
    }

    /** alice.doctor books; returns the appointment's id (from Location: a 202 has no body). */
    private String book(UUID patient, Instant start) {
        Api.Response booked = as(ALICE).post("/api/appointments", booking(RIVERSIDE, patient, start));
        assertThat(booked.status()).isIn(201, 202);
        return booked.header("Location").orElseThrow().replace("/api/appointments/", "");
    }
}
