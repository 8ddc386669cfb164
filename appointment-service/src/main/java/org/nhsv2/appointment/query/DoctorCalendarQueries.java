package org.nhsv2.appointment.query;

import org.axonframework.queryhandling.QueryHandler;
import org.nhsv2.appointment.api.AppointmentStatus;
import org.nhsv2.appointment.api.CalendarEntry;
import org.nhsv2.appointment.api.FindDoctorCalendarQuery;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.sql.Timestamp;
import java.util.List;
import java.util.UUID;

/** A doctor's calendar feed, read from {@code appointment_view} and the facilities. */
@Component
class DoctorCalendarQueries {

    private final JdbcTemplate jdbc;

    DoctorCalendarQueries(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @QueryHandler
    List<CalendarEntry> handle(FindDoctorCalendarQuery query) {
        return jdbc.query("""
                        select a.appointment_id, a.start_at, a.end_at, a.status, f.name, f.address, a.version
                        from appointment_view a join facility f on f.id = a.facility_id
                        where a.doctor_id = ? and a.start_at >= ?
                        order by a.start_at, a.appointment_id limit ?""",
                (rs, n) -> new CalendarEntry(rs.getObject(1, UUID.class), rs.getTimestamp(2).toInstant(),
                        rs.getTimestamp(3).toInstant(), AppointmentStatus.valueOf(rs.getString(4)), rs.getString(5),
                        rs.getString(6), rs.getLong(7)),
                query.doctorId(), Timestamp.from(query.from()), query.limit());
    }
}
