package org.nhsv2.appointment.command;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

import java.util.UUID;

/** Which facilities exist and which doctors work there (seeded to match the identity provider). */
@Repository
class FacilityStaff {

    private final JdbcTemplate jdbc;

    FacilityStaff(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    boolean facilityExists(UUID facilityId) {
        return Boolean.TRUE.equals(jdbc.queryForObject(
                "select exists (select 1 from facility where id = ?)", Boolean.class, facilityId));
    }

    boolean worksAt(UUID doctorId, UUID facilityId) {
        return Boolean.TRUE.equals(jdbc.queryForObject(
                "select exists (select 1 from facility_doctor where facility_id = ? and doctor_id = ?)",
                Boolean.class, facilityId, doctorId));
    }
}
