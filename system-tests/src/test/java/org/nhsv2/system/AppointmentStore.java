package org.nhsv2.system;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * appointment-service's database read directly, as the fault tests check it behind the API: the
 * event store, the slot claims, the view and the tracking processors' tokens.
 */
final class AppointmentStore {

    private static final String USER = "nhsv2_appointment";

    /** An event of an appointment, as the event store holds it. */
    record Event(long sequence, String type) {
    }

    /** A tracking processor's segment and who holds its claim ({@code null}: nobody). */
    record Claim(String processor, int segment, String owner) {
    }

    private final String url;

    AppointmentStore() {
        this(Stack.databaseUrl(Stack.APPOINTMENT));
    }

    /** The appointment database at {@code url}, such as one on a server of the test's own. */
    AppointmentStore(String url) {
        this.url = url;
    }

    /** A whole hour at least a week ahead and a day after the doctor's last claimed time: free, also on a rerun. */
    Instant freeTimeOf(UUID doctorId) {
        Instant latest = query("select max(upper(period)) from slot_claim where doctor_id = ?",
                rs -> rs.next() && rs.getTimestamp(1) != null ? rs.getTimestamp(1).toInstant() : Instant.EPOCH, doctorId);
        Instant weekAhead = Instant.now().plus(Duration.ofDays(7));
        return (latest.isAfter(weekAhead) ? latest : weekAhead).plus(Duration.ofDays(1)).truncatedTo(ChronoUnit.HOURS);
    }

    /** Each patient's appointments, by the {@code AppointmentBookedEvent}s in the event store (patient ids are in clear). */
    Map<UUID, List<UUID>> bookedByPatient() {
        return query("""
                select convert_from(payload, 'UTF8')::jsonb ->> 'patientId', aggregate_identifier from domain_event_entry
                where payload_type = 'org.nhsv2.appointment.api.AppointmentBookedEvent'""", rs -> {
            Map<UUID, List<UUID>> booked = new HashMap<>();
            while (rs.next()) {
                booked.computeIfAbsent(UUID.fromString(rs.getString(1)), patient -> new ArrayList<>())
                        .add(UUID.fromString(rs.getString(2)));
            }
            return booked;
        });
    }

    /** The appointment's events in the order of their sequence numbers, types by simple name. */
    List<Event> events(UUID appointmentId) {
        return query("""
                select sequence_number, payload_type from domain_event_entry where aggregate_identifier = ?
                order by sequence_number""", rs -> {
            List<Event> events = new ArrayList<>();
            while (rs.next()) {
                String type = rs.getString(2);
                events.add(new Event(rs.getLong(1), type.substring(type.lastIndexOf('.') + 1)));
            }
            return events;
        }, appointmentId.toString());
    }

    /** Pairs of the doctor's live appointments in the view whose times overlap. */
    int doubleBookingsInView(UUID doctorId) {
        return query("""
                select count(*) from appointment_view a join appointment_view b
                  on a.doctor_id = b.doctor_id and a.appointment_id < b.appointment_id
                 and tstzrange(a.start_at, a.end_at) && tstzrange(b.start_at, b.end_at)
                where a.doctor_id = ? and a.status <> 'CANCELLED' and b.status <> 'CANCELLED'""",
                rs -> rs.next() ? rs.getInt(1) : 0, doctorId);
    }

    /** The start the appointment's slot claim holds; {@code null} without a claim. */
    Instant claimedStart(UUID appointmentId) {
        return query("select lower(period) from slot_claim where appointment_id = ?",
                rs -> rs.next() ? rs.getTimestamp(1).toInstant() : null, appointmentId);
    }

    /** The appointments holding claims on the doctor's time within [from, to). */
    List<UUID> claimsOf(UUID doctorId, Instant from, Instant to) {
        return query("select appointment_id from slot_claim where doctor_id = ? and period && tstzrange(?, ?)", rs -> {
            List<UUID> ids = new ArrayList<>();
            while (rs.next()) {
                ids.add(rs.getObject(1, UUID.class));
            }
            return ids;
        }, doctorId, java.sql.Timestamp.from(from), java.sql.Timestamp.from(to));
    }

    /** The view's row: status, start and the sequence of the last event it applied; empty without a row. */
    Map<String, Object> view(UUID appointmentId) {
        return query("select status, start_at, version, email_delivered_at from appointment_view where appointment_id = ?", rs -> {
            Map<String, Object> row = new LinkedHashMap<>();
            if (rs.next()) {
                row.put("status", rs.getString(1));
                row.put("start", rs.getTimestamp(2).toInstant());
                row.put("version", rs.getLong(3));
                row.put("emailDeliveredAt", rs.getTimestamp(4));
            }
            return row;
        }, appointmentId);
    }

    /** How many of these appointments the view shows with their confirmation delivered. */
    int confirmedInView(List<UUID> appointmentIds) {
        return query("select count(*) from appointment_view where appointment_id = any(?) and email_delivered_at is not null",
                rs -> rs.next() ? rs.getInt(1) : 0, (Object) appointmentIds.toArray(UUID[]::new));
    }

    List<Claim> claims() {
        return query("select processor_name, segment, owner from token_entry order by processor_name, segment", rs -> {
            List<Claim> claims = new ArrayList<>();
            while (rs.next()) {
                claims.add(new Claim(rs.getString(1), rs.getInt(2), rs.getString(3)));
            }
            return claims;
        });
    }

    private interface Reader<T> {
        T read(ResultSet rs) throws SQLException;
    }

    private <T> T query(String sql, Reader<T> reader, Object... parameters) {
        try (Connection db = DriverManager.getConnection(url, USER, USER);
             PreparedStatement statement = db.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                if (parameters[i] instanceof UUID[] ids) {
                    statement.setArray(i + 1, db.createArrayOf("uuid", ids));
                } else {
                    statement.setObject(i + 1, parameters[i]);
                }
            }
            try (ResultSet rs = statement.executeQuery()) {
                return reader.read(rs);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read " + url, e);
        }
    }
}
