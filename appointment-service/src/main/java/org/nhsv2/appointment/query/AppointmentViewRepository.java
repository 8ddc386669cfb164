package org.nhsv2.appointment.query;

import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.nhsv2.appointment.api.AppointmentStatus;
import org.nhsv2.platform.api.EncryptedText;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.stereotype.Repository;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * {@code appointment_view}. Every write is guarded by the event's sequence number, so applying an
 * event twice (a replay, a retried batch) leaves the row as applying it once did. Within an event
 * processor's batch the writes are sent together (see {@link #write}).
 */
@Repository
class AppointmentViewRepository {

    private static final String COLUMNS = """
            appointment_id, facility_id, doctor_id, patient_id, patient_name, patient_email, start_at, end_at,
            duration_minutes, reason, status, cancellation_reason, email_delivered_at, email_failure, version""";
    private static final RowMapper<AppointmentRow> ROW = AppointmentViewRepository::mapRow;
    private static final String INSERT = "insert into appointment_view (" + COLUMNS + ")"
            + " values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) on conflict (appointment_id) do nothing";
    private static final String RESCHEDULE = """
            update appointment_view set start_at = ?, end_at = ?, duration_minutes = ?, version = ?
            where appointment_id = ? and version < ?""";
    private static final String CHANGE_STATUS = """
            update appointment_view set status = ?, cancellation_reason = ?, version = ?
            where appointment_id = ? and version < ?""";
    private static final String EMAIL_DELIVERED = """
            update appointment_view set email_delivered_at = ?, email_failure = null, version = ?
            where appointment_id = ? and version < ?""";
    private static final String EMAIL_FAILED = """
            update appointment_view set email_failure = ?, version = ?
            where appointment_id = ? and version < ?""";
    private static final String QUEUED_WRITES = AppointmentViewRepository.class.getName() + ".queuedWrites";

    private final JdbcTemplate jdbc;

    AppointmentViewRepository(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    void insert(AppointmentRow row) {
        write(INSERT, row.appointmentId(), row.appointmentId(), row.facilityId(), row.doctorId(), row.patientId(),
                text(row.patientName()), text(row.patientEmail()), Timestamp.from(row.start()), Timestamp.from(row.end()),
                row.durationMinutes(), text(row.reason()), row.status().name(), text(row.cancellationReason()),
                timestamp(row.emailDeliveredAt()), row.emailFailure(), row.version());
    }

    void reschedule(UUID appointmentId, Instant start, Instant end, int durationMinutes, long version) {
        write(RESCHEDULE, appointmentId, Timestamp.from(start), Timestamp.from(end), durationMinutes, version,
                appointmentId, version);
    }

    void changeStatus(UUID appointmentId, AppointmentStatus status, EncryptedText reason, long version) {
        write(CHANGE_STATUS, appointmentId, status.name(), text(reason), version, appointmentId, version);
    }

    /** A delivery clears an earlier failure; a failure leaves the last delivery as it was. */
    void recordEmailDelivered(UUID appointmentId, Instant deliveredAt, long version) {
        write(EMAIL_DELIVERED, appointmentId, Timestamp.from(deliveredAt), version, appointmentId, version);
    }

    void recordEmailFailed(UUID appointmentId, String reason, long version) {
        write(EMAIL_FAILED, appointmentId, reason, version, appointmentId, version);
    }

    Optional<AppointmentRow> find(UUID appointmentId) {
        sendQueuedWrites();
        return jdbc.query("select " + COLUMNS + " from appointment_view where appointment_id = ?", ROW, appointmentId)
                .stream().findFirst();
    }

    /** Appointments starting in {@code [from, to)}, by start. */
    List<AppointmentRow> findStarting(UUID facilityId, Instant from, Instant to) {
        sendQueuedWrites();
        return jdbc.query("select " + COLUMNS + " from appointment_view"
                        + " where facility_id = ? and start_at >= ? and start_at < ? order by start_at, appointment_id",
                ROW, facilityId, Timestamp.from(from), Timestamp.from(to));
    }

    List<AppointmentRow> findByPatient(UUID patientId, Collection<UUID> facilities, int offset, int limit) {
        sendQueuedWrites();
        String[] facilityIds = ids(facilities);
        return jdbc.query("select " + COLUMNS + " from appointment_view where patient_id = ?"
                        + " and (cardinality(?::uuid[]) = 0 or facility_id = any(?::uuid[]))"
                        + " order by start_at, appointment_id offset ? limit ?",
                ROW, patientId, facilityIds, facilityIds, offset, limit);
    }

    long countByPatient(UUID patientId, Collection<UUID> facilities) {
        sendQueuedWrites();
        String[] facilityIds = ids(facilities);
        Long count = jdbc.queryForObject("select count(*) from appointment_view where patient_id = ?"
                        + " and (cardinality(?::uuid[]) = 0 or facility_id = any(?::uuid[]))",
                Long.class, patientId, facilityIds, facilityIds);
        return count == null ? 0 : count;
    }

    void deleteAll() {
        sendQueuedWrites();
        jdbc.update("delete from appointment_view");
    }

    /**
     * In an event-processing batch (Axon's unit of work) the write waits to go with the batch's
     * others (see {@link ViewWriteBatch}); they are sent before the batch commits, in its transaction,
     * so a failure fails the batch as a failed statement would have. Outside one, or in one already
     * committing, it is sent at once.
     */
    private void write(String statement, UUID appointmentId, Object... arguments) {
        UnitOfWork<?> batch = CurrentUnitOfWork.map(UnitOfWork::root).orElse(null);
        // Once the unit of work is committing, the queue may have been sent already: the write goes at once.
        if (batch == null || !batch.phase().isBefore(UnitOfWork.Phase.PREPARE_COMMIT)) {
            sendQueuedWrites();
            jdbc.update(statement, arguments);
            return;
        }
        batch.getOrComputeResource(QUEUED_WRITES, key -> {
            ViewWriteBatch writes = new ViewWriteBatch(INSERT, jdbc::batchUpdate);
            batch.onPrepareCommit(committing -> writes.send());
            return writes;
        }).add(statement, appointmentId, arguments);
    }

    /** A read (or the delete) within a batch comes after the batch's writes so far. */
    private void sendQueuedWrites() {
        CurrentUnitOfWork.map(unit -> unit.root().<ViewWriteBatch>getResource(QUEUED_WRITES))
                .ifPresent(ViewWriteBatch::send);
    }

    private static String[] ids(Collection<UUID> ids) {
        return ids.stream().map(UUID::toString).toArray(String[]::new);
    }

    private static String text(EncryptedText text) {
        return text == null ? null : text.ciphertext();
    }

    private static Timestamp timestamp(Instant instant) {
        return instant == null ? null : Timestamp.from(instant);
    }

    private static EncryptedText sealed(ResultSet rs, String column) throws SQLException {
        String value = rs.getString(column);
        return value == null ? null : new EncryptedText(value);
    }

    private static AppointmentRow mapRow(ResultSet rs, int rowNum) throws SQLException {
        return new AppointmentRow(
                rs.getObject("appointment_id", UUID.class),
                rs.getObject("facility_id", UUID.class),
                rs.getObject("doctor_id", UUID.class),
                rs.getObject("patient_id", UUID.class),
                sealed(rs, "patient_name"),
                sealed(rs, "patient_email"),
                rs.getTimestamp("start_at").toInstant(),
                rs.getTimestamp("end_at").toInstant(),
                rs.getInt("duration_minutes"),
                sealed(rs, "reason"),
                AppointmentStatus.valueOf(rs.getString("status")),
                sealed(rs, "cancellation_reason"),
                Optional.ofNullable(rs.getTimestamp("email_delivered_at")).map(Timestamp::toInstant).orElse(null),
                rs.getString("email_failure"),
                rs.getLong("version"));
    }
}
