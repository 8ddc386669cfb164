package org.nhsv2.appointment.query;

import org.nhsv2.appointment.api.FacilityView;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

@Repository
class Facilities {

    private final JdbcTemplate jdbc;

    Facilities(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    List<FacilityView> findAll() {
        return jdbc.query("select id, name, time_zone, address from facility order by name",
                (rs, n) -> new FacilityView(rs.getObject(1, UUID.class), rs.getString(2), rs.getString(3), rs.getString(4)));
    }

    Optional<ZoneId> zoneOf(UUID facilityId) {
        return jdbc.query("select time_zone from facility where id = ?", (rs, n) -> ZoneId.of(rs.getString(1)), facilityId)
                .stream().findFirst();
    }
}
