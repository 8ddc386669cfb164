package org.nhsv2.appointment.web;

import org.junit.jupiter.api.Test;
import org.nhsv2.appointment.IntegrationTest;
import org.nhsv2.platform.testing.AccessMatrix;
import org.nhsv2.platform.testing.AccessMatrix.Request;
import org.nhsv2.platform.testing.AccessMatrix.Row;
import org.nhsv2.platform.testing.Api;
import org.nhsv2.platform.testing.RealmTokens;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.nhsv2.platform.testing.AccessMatrix.Caller.ADMIN;
import static org.nhsv2.platform.testing.AccessMatrix.Caller.FACILITY_DOCTOR;
import static org.nhsv2.platform.testing.AccessMatrix.Caller.OWN_PATIENT;
import static org.nhsv2.platform.testing.AccessMatrix.row;
import static org.nhsv2.platform.testing.DemoUsers.ALICE;
import static org.nhsv2.platform.testing.DemoUsers.ALICE_ID;
import static org.nhsv2.platform.testing.DemoUsers.PAT_ONE_ID;
import static org.nhsv2.platform.testing.DemoUsers.RIVERSIDE;

/**
 * Every endpoint against every kind of caller (see {@link AccessMatrix}), on appointments of pat.one at Riverside
 * booked by alice.doctor; a call that may change one gets a fresh one. The service trusts a test issuer here, which
 * mints the expired and misaddressed tokens Keycloak never hands out.
 */
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
class AccessMatrixIT extends IntegrationTest {

    private static final RealmTokens TOKENS = RealmTokens.shared();

    @DynamicPropertySource
    static void issuer(DynamicPropertyRegistry registry) {
        TOKENS.trustedBy(registry);
    }

    private String readable;

    @Test
    void shouldAnswerEveryEndpointAsTheTableSaysForEveryCaller() {
        readable = booked();
        Instant slot = Instant.parse(alice().get("/api/appointments/" + readable).text("start"));
        LocalDate day = slot.atOffset(ZoneOffset.UTC).toLocalDate();
        String days = "?from=" + day.minusDays(1) + "&to=" + day.plusDays(1);
        Map<String, String> reason = Map.of("reason", "Access check");

        List<Row> table = List.of(
                //                                                                     none exp iss aud  own oth docX docF admin
                row("POST /api/appointments", c -> Request.to("/api/appointments")
                        .with(booking(RIVERSIDE, UUID.randomUUID(), freeSlot())),          401, 401, 401, 401, 403, 403, 403, 201, 403),
                row("GET /api/appointments/{appointmentId}", c -> read(""),           401, 401, 401, 401, 200, 404, 403, 200, 200)
                        .seenBy(OWN_PATIENT, FACILITY_DOCTOR, ADMIN),
                row("GET /api/appointments/{appointmentId}/history", c -> read("/history"),
                                                                                      401, 401, 401, 401, 200, 404, 403, 200, 200)
                        .seenBy(OWN_PATIENT, FACILITY_DOCTOR, ADMIN),
                row("POST /api/appointments/{appointmentId}/reschedule", c -> change(booked(), "/reschedule")
                        .with(Map.of("start", freeSlot().toString(), "reason", "Access check")),
                                                                                      401, 401, 401, 401, 403, 403, 403, 200, 403),
                row("POST /api/appointments/{appointmentId}/cancel", c -> change(booked(), "/cancel").with(reason),
                                                                                      401, 401, 401, 401, 200, 404, 403, 200, 403),
                row("POST /api/appointments/{appointmentId}/fulfil", c -> change(started(), "/fulfil"),
                                                                                      401, 401, 401, 401, 403, 403, 403, 200, 403),
                row("POST /api/appointments/{appointmentId}/no-show", c -> change(started(), "/no-show"),
                                                                                      401, 401, 401, 401, 403, 403, 403, 200, 403),
                row("GET /api/facilities", c -> Request.to("/api/facilities"),        401, 401, 401, 401, 200, 200, 200, 200, 200),
                row("GET /api/facilities/{facilityId}/appointments",
                        c -> Request.to("/api/facilities/" + RIVERSIDE + "/appointments" + days).about(readable),
                                                                                      401, 401, 401, 401, 403, 403, 403, 200, 200)
                        .seenBy(FACILITY_DOCTOR, ADMIN),
                row("GET /api/patients/me/appointments", c -> Request.to("/api/patients/me/appointments").about(readable),
                                                                                      401, 401, 401, 401, 200, 200, 403, 403, 403)
                        .seenBy(OWN_PATIENT),
                row("GET /api/patients/{patientId}/appointments",
                        c -> Request.to("/api/patients/" + PAT_ONE_ID + "/appointments").about(readable),
                                                                                      401, 401, 401, 401, 403, 403, 200, 200, 200)
                        .seenBy(FACILITY_DOCTOR, ADMIN),
                row("GET /api/doctors/{doctorId}/calendar.ics", c -> Request.to("/api/doctors/" + ALICE_ID + "/calendar.ics"),
                                                                                      401, 401, 401, 401, 403, 403, 403, 200, 200),
                row("DELETE /api/patients/{patientId}/personal-data",
                        c -> Request.to("/api/patients/" + UUID.randomUUID() + "/personal-data?basis=DATA_SUBJECT_REQUEST"),
                                                                                      401, 401, 401, 401, 403, 403, 403, 403, 200));

        AccessMatrix.check("appointment-service", port, context, TOKENS, table);
    }

    private Request read(String suffix) {
        return Request.to("/api/appointments/" + readable + suffix).about(readable);
    }

    private static Request change(String appointmentId, String suffix) {
        return Request.to("/api/appointments/" + appointmentId + suffix).about(appointmentId);
    }

    /** A fresh appointment of pat.one at Riverside, in the future. */
    private String booked() {
        return book(freeSlot(), 30);
    }

    /**
     * A fresh appointment of pat.one at Riverside that has just started: booked in a window of its own, then the
     * clock moves a minute past its start (this class's context is its own, and closed after it).
     */
    private String started() {
        Instant start = freeSlot();
        String id = book(start, 30);
        clock.advance(Duration.between(clock.instant(), start.plus(Duration.ofMinutes(1))));
        return id;
    }

    private String book(Instant start, int minutes) {
        Map<String, Object> body = booking(RIVERSIDE, PAT_ONE_ID, start);
        body.put("durationMinutes", minutes);
        Api.Response booked = alice().post("/api/appointments", body);
        assertThat(booked.status()).as(booked.body().toString()).isEqualTo(201);
        return booked.text("appointmentId");
    }

    private Api alice() {
        return Api.withToken(port, TOKENS.of(ALICE));
    }
}
