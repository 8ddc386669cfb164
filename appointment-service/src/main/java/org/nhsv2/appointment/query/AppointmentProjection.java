package org.nhsv2.appointment.query;

import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.eventhandling.SequenceNumber;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.axonframework.queryhandling.QueryUpdateEmitter;
import org.nhsv2.appointment.api.AppointmentBookedEvent;
import org.nhsv2.appointment.api.AppointmentCancelledEvent;
import org.nhsv2.appointment.api.AppointmentFulfilledEvent;
import org.nhsv2.appointment.api.AppointmentMarkedNoShowEvent;
import org.nhsv2.appointment.api.AppointmentRescheduledEvent;
import org.nhsv2.appointment.api.ConfirmationDeliveredEvent;
import org.nhsv2.appointment.api.ConfirmationFailedEvent;
import org.nhsv2.appointment.api.AppointmentStatus;
import org.nhsv2.appointment.api.AppointmentView;
import org.nhsv2.appointment.api.FindAppointmentQuery;
import org.nhsv2.appointment.facility.FacilityDirectory;
import org.nhsv2.platform.query.ViewWatchers;
import org.springframework.stereotype.Component;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * Keeps {@code appointment_view}; runs in a tracking processor whose token is stored in the same
 * transaction as these rows. After commit it evicts the cached facility days the event touched and
 * tells subscribed readers (a booking client waiting for its appointment).
 */
@Component
@ProcessingGroup(AppointmentProjection.PROCESSING_GROUP)
class AppointmentProjection {

    static final String PROCESSING_GROUP = "appointment-view";
    private static final String TOUCHED_DAYS = AppointmentProjection.class.getName() + ".touchedDays";

    private final AppointmentViewRepository rows;
    private final FacilityDirectory facilities;
    private final FacilityDayCache cache;
    private final AppointmentViews views;
    private final QueryUpdateEmitter emitter;

    AppointmentProjection(AppointmentViewRepository rows, FacilityDirectory facilities, FacilityDayCache cache,
                          AppointmentViews views, QueryUpdateEmitter emitter) {
        this.rows = rows;
        this.facilities = facilities;
        this.cache = cache;
        this.views = views;
        this.emitter = emitter;
    }

    @EventHandler
    void on(AppointmentBookedEvent event, @SequenceNumber long sequence) {
        AppointmentRow row = new AppointmentRow(event.appointmentId(), event.facilityId(), event.doctorId(),
                event.patientId(), event.patientName(), event.patientEmail(), event.start(),
                event.start().plus(Duration.ofMinutes(event.durationMinutes())), event.durationMinutes(),
                event.reason(), AppointmentStatus.BOOKED, null, null, null, sequence);
        rows.insert(row);
        // The row as written is the row as read: a waiting client is told without reading it back.
        changed(event.appointmentId(), event.facilityId(), () -> Optional.of(row), event.start());
    }

    @EventHandler
    void on(AppointmentRescheduledEvent event, @SequenceNumber long sequence) {
        rows.reschedule(event.appointmentId(), event.start(),
                event.start().plus(Duration.ofMinutes(event.durationMinutes())), event.durationMinutes(), sequence);
        changed(event.appointmentId(), event.facilityId(), reread(event.appointmentId()), event.previousStart(),
                event.start());
    }

    @EventHandler
    void on(AppointmentCancelledEvent event, @SequenceNumber long sequence) {
        rows.changeStatus(event.appointmentId(), AppointmentStatus.CANCELLED, event.reason(), sequence);
        changed(event.appointmentId(), event.facilityId(), reread(event.appointmentId()), event.start());
    }

    @EventHandler
    void on(AppointmentFulfilledEvent event, @SequenceNumber long sequence) {
        rows.changeStatus(event.appointmentId(), AppointmentStatus.FULFILLED, null, sequence);
        changed(event.appointmentId(), event.facilityId(), reread(event.appointmentId()), event.start());
    }

    @EventHandler
    void on(AppointmentMarkedNoShowEvent event, @SequenceNumber long sequence) {
        rows.changeStatus(event.appointmentId(), AppointmentStatus.NO_SHOW, null, sequence);
        changed(event.appointmentId(), event.facilityId(), reread(event.appointmentId()), event.start());
    }

    @EventHandler
    void on(ConfirmationDeliveredEvent event, @SequenceNumber long sequence) {
        rows.recordEmailDelivered(event.appointmentId(), event.deliveredAt(), sequence);
        changed(event.appointmentId(), event.facilityId(), reread(event.appointmentId()), event.start());
    }

    @EventHandler
    void on(ConfirmationFailedEvent event, @SequenceNumber long sequence) {
        rows.recordEmailFailed(event.appointmentId(), event.reason(), sequence);
        changed(event.appointmentId(), event.facilityId(), reread(event.appointmentId()), event.start());
    }

    @ResetHandler
    void reset() {
        rows.deleteAll();
        cache.evictAll();
    }

    private Supplier<Optional<AppointmentRow>> reread(UUID appointmentId) {
        return () -> rows.find(appointmentId);
    }

    private void changed(UUID appointmentId, UUID facilityId, Supplier<Optional<AppointmentRow>> row,
                         Instant... starts) {
        ZoneId zone = facilities.zoneOf(facilityId).orElse(ZoneOffset.UTC);
        Set<LocalDate> days = Arrays.stream(starts).map(start -> LocalDate.ofInstant(start, zone)).collect(Collectors.toSet());
        // Axon runs every event handler in a unit of work (the processor's batch).
        touchedDays(CurrentUnitOfWork.get().root()).computeIfAbsent(facilityId, id -> new HashSet<>()).addAll(days);
        ViewWatchers.tell(emitter, FindAppointmentQuery.class, query -> query.appointmentId().equals(appointmentId),
                () -> row.get().map(views::open));
    }

    /**
     * The facility days this batch changed, evicted together once it commits. The eviction is
     * registered at prepare-commit, after every update the emitter has queued for this batch; as
     * after-commit callbacks run in reverse order of registration, the days are gone from the cache
     * before a waiting client hears of its change, so its next listing shows it.
     */
    private Map<UUID, Set<LocalDate>> touchedDays(UnitOfWork<?> batch) {
        return batch.getOrComputeResource(TOUCHED_DAYS, key -> {
            Map<UUID, Set<LocalDate>> touched = new HashMap<>();
            batch.onPrepareCommit(committing -> committing.afterCommit(committed -> touched.forEach(cache::evict)));
            return touched;
        });
    }
}
