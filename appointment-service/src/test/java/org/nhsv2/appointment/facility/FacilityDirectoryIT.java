package org.nhsv2.appointment.facility;

import org.junit.jupiter.api.Test;
import org.nhsv2.appointment.IntegrationTest;
import org.nhsv2.platform.testing.Api;
import org.springframework.beans.factory.annotation.Autowired;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The facilities and their doctors are kept in memory, and a change to the tables, made as an
 * operator makes it (SQL from another connection, not through the service), reaches bookings and
 * listings once it commits: nobody has to restart anything.
 */
class FacilityDirectoryIT extends IntegrationTest {

    private static final UUID RIVERSIDE = UUID.fromString("11111111-1111-4111-8111-111111111111");

    @Autowired
    private FacilityDirectory directory;

    @Test
    void shouldLetADoctorBookForAColleagueAddedToTheFacilityAndStopOnceRemoved() {
        await().atMost(Duration.ofSeconds(10)).until(directory::isKeptInMemory);
        UUID colleague = UUID.randomUUID();
        Map<String, Object> body = booking(RIVERSIDE, UUID.randomUUID(), freeSlot());
        body.put("doctorId", colleague);
        Api alice = as("alice.doctor");
        assertThat(alice.post("/api/appointments", body).status()).as("before the colleague joins").isEqualTo(422);

        jdbc.update("insert into facility_doctor (facility_id, doctor_id) values (?, ?)", RIVERSIDE, colleague);
        await().atMost(Duration.ofSeconds(5)).until(() -> directory.worksAt(colleague, RIVERSIDE));
        assertThat(alice.post("/api/appointments", body).status()).as("once the colleague joined").isEqualTo(201);

        jdbc.update("delete from facility_doctor where facility_id = ? and doctor_id = ?", RIVERSIDE, colleague);
        await().atMost(Duration.ofSeconds(5)).until(() -> !directory.worksAt(colleague, RIVERSIDE));
        Map<String, Object> another = booking(RIVERSIDE, UUID.randomUUID(), freeSlot());
        another.put("doctorId", colleague);
        assertThat(alice.post("/api/appointments", another).status()).as("once the colleague left").isEqualTo(422);
    }

    @Test
    void shouldListAFacilityRenamedByAnOperator() {
        await().atMost(Duration.ofSeconds(10)).until(directory::isKeptInMemory);
        String name = directory.facility(RIVERSIDE).name();
        try {
            jdbc.update("update facility set name = ? where id = ?", name + " (renamed)", RIVERSIDE);
            await().atMost(Duration.ofSeconds(5)).until(() -> directory.facility(RIVERSIDE).name().endsWith("(renamed)"));
            assertThat(as("alice.doctor").get("/api/facilities").body().findValuesAsText("name"))
                    .contains(name + " (renamed)");
        } finally {
            jdbc.update("update facility set name = ? where id = ?", name, RIVERSIDE);
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> directory.facility(RIVERSIDE).name().equals(name));
    }
}
