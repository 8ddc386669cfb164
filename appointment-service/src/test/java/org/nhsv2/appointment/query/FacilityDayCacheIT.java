package org.nhsv2.appointment.query;

import org.junit.jupiter.api.Test;
import org.nhsv2.appointment.Api;
import org.nhsv2.appointment.IntegrationTest;
import org.springframework.beans.factory.annotation.Autowired;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.nhsv2.appointment.DemoUsers.ALICE;
import static org.nhsv2.appointment.DemoUsers.CAROL;
import static org.nhsv2.appointment.DemoUsers.CAROL_ID;
import static org.nhsv2.appointment.DemoUsers.RIVERSIDE;

/** The facility-day listing is cached in Redis and evicted, day by day, by the changes that touch it. */
class FacilityDayCacheIT extends IntegrationTest {

    private static final ZoneId LONDON = ZoneId.of("Europe/London");

    @Autowired
    private FacilityDayCache cache;

    /** Evicted before the client hears back, so the client's next listing already shows its change. */
    @Test
    void shouldEvictExactlyTheTouchedDayBeforeAnsweringABookingOrCancellation() {
        Api alice = as(ALICE);
        Instant start = freeSlot();
        LocalDate day = LocalDate.ofInstant(start, LONDON);
        LocalDate otherDay = day.plusDays(3);
        String existing = alice.post("/api/appointments", booking(RIVERSIDE, UUID.randomUUID(), start)).text("appointmentId");
        assertThat(ids(list(alice, day))).contains(existing);
        list(alice, otherDay);
        assertThat(cache.isCached(RIVERSIDE, day)).isTrue();
        assertThat(cache.isCached(RIVERSIDE, otherDay)).isTrue();

        Api.Response booked = alice.post("/api/appointments",
                booking(RIVERSIDE, UUID.randomUUID(), start.plus(Duration.ofHours(1))));
        assertThat(booked.status()).isEqualTo(201);
        assertThat(cache.isCached(RIVERSIDE, day)).isFalse();
        assertThat(cache.isCached(RIVERSIDE, otherDay)).isTrue();
        assertThat(ids(list(alice, day))).contains(existing, booked.text("appointmentId"));
        assertThat(cache.isCached(RIVERSIDE, day)).isTrue();

        Api.Response cancelled = alice.post("/api/appointments/" + booked.text("appointmentId") + "/cancel",
                Map.of("reason", "no longer needed"));
        assertThat(cancelled.status()).isEqualTo(200);
        assertThat(cache.isCached(RIVERSIDE, day)).isFalse();
        assertThat(cache.isCached(RIVERSIDE, otherDay)).isTrue();
        assertThat(list(alice, day).body().path("items").findValuesAsText("status")).contains("CANCELLED");
    }

    @Test
    void shouldGroupAppointmentsByTheFacilitysLocalDayAcrossTheClockChange() {
        // 28 March 2027: London springs forward at 01:00 GMT, so that local day lasts 23 hours.
        LocalDate shortDay = LocalDate.of(2027, 3, 28);
        Api carol = as(CAROL);
        String lateEvening = book(carol, Instant.parse("2027-03-28T22:30:00Z")); // 23:30 BST, still the 28th
        String earlyMorning = book(carol, Instant.parse("2027-03-28T00:30:00Z")); // 00:30 GMT, the 28th
        String dayBefore = book(carol, Instant.parse("2027-03-27T23:30:00Z")); // 23:30 GMT, the 27th

        assertThat(ids(list(carol, shortDay))).contains(earlyMorning, lateEvening).doesNotContain(dayBefore);
        assertThat(ids(list(carol, shortDay.minusDays(1)))).contains(dayBefore).doesNotContain(earlyMorning);
        assertThat(ids(list(carol, shortDay.plusDays(1)))).doesNotContain(lateEvening);
    }

    private String book(Api doctor, Instant start) {
        Map<String, Object> body = booking(RIVERSIDE, UUID.randomUUID(), start);
        body.put("doctorId", CAROL_ID);
        Api.Response response = doctor.post("/api/appointments", body);
        assertThat(response.status()).isEqualTo(201);
        return response.text("appointmentId");
    }

    private static Api.Response list(Api doctor, LocalDate day) {
        Api.Response response = doctor.get("/api/facilities/" + RIVERSIDE + "/appointments?from=" + day + "&size=200");
        assertThat(response.status()).isEqualTo(200);
        return response;
    }

    private static List<String> ids(Api.Response page) {
        List<String> ids = new ArrayList<>();
        page.body().path("items").forEach(item -> ids.add(item.path("appointmentId").asText()));
        return ids;
    }
}
