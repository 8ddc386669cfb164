package org.nhsv2.appointment.query;

import org.junit.jupiter.api.Test;
import org.nhsv2.appointment.IntegrationTest;
import org.nhsv2.platform.testing.Api;
import org.springframework.beans.factory.annotation.Autowired;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.zone.ZoneOffsetTransition;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.nhsv2.platform.testing.DemoUsers.ALICE;
import static org.nhsv2.platform.testing.DemoUsers.CAROL;
import static org.nhsv2.platform.testing.DemoUsers.CAROL_ID;
import static org.nhsv2.platform.testing.DemoUsers.RIVERSIDE;

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
                // Half an hour later, on the same local day whatever the hour (an hour would cross midnight at 23:00).
                booking(RIVERSIDE, UUID.randomUUID(), start.plus(Duration.ofMinutes(30))));
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
        // The next day London springs forward: that local day lasts 23 hours.
        LocalDate shortDay = nextSpringForward();
        Api carol = as(CAROL);
        String lateEvening = book(carol, shortDay.atTime(23, 30).atZone(LONDON).toInstant()); // summer time, still that day
        String earlyMorning = book(carol, shortDay.atTime(0, 30).atZone(LONDON).toInstant()); // winter time, that day
        String dayBefore = book(carol, shortDay.minusDays(1).atTime(23, 30).atZone(LONDON).toInstant());
        assertThat(Duration.between(shortDay.atStartOfDay(LONDON), shortDay.plusDays(1).atStartOfDay(LONDON)))
                .isEqualTo(Duration.ofHours(23));

        assertThat(ids(list(carol, shortDay))).contains(earlyMorning, lateEvening).doesNotContain(dayBefore);
        assertThat(ids(list(carol, shortDay.minusDays(1)))).contains(dayBefore).doesNotContain(earlyMorning);
        assertThat(ids(list(carol, shortDay.plusDays(1)))).doesNotContain(lateEvening);
    }

    /** The first day after tomorrow whose clocks go forward in London; always within a year. */
    private static LocalDate nextSpringForward() {
        ZoneOffsetTransition transition = LONDON.getRules().nextTransition(Instant.now().plus(Duration.ofDays(2)));
        while (!transition.isGap()) {
            transition = LONDON.getRules().nextTransition(transition.getInstant());
        }
        return LocalDate.ofInstant(transition.getInstant(), LONDON);
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
