package org.nhsv2.appointment.query;

import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.queryhandling.QueryHandler;
import org.nhsv2.appointment.api.AppointmentBookedEvent;
import org.nhsv2.appointment.api.AppointmentCancelledEvent;
import org.nhsv2.appointment.api.AppointmentFulfilledEvent;
import org.nhsv2.appointment.api.AppointmentHistory.Change;
import org.nhsv2.appointment.api.AppointmentHistory;
import org.nhsv2.appointment.api.AppointmentMarkedNoShowEvent;
import org.nhsv2.appointment.api.AppointmentRescheduledEvent;
import org.nhsv2.appointment.api.AppointmentStatus;
import org.nhsv2.appointment.api.FindAppointmentHistoryQuery;
import org.nhsv2.appointment.api.SealedFields;
import org.nhsv2.platform.api.Actor;
import org.nhsv2.platform.api.EncryptedText;
import org.nhsv2.platform.vault.PersonalDataVault.Binding;
import org.nhsv2.platform.vault.PersonalDataVault;
import org.springframework.stereotype.Component;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;

/** Reads an appointment's history straight from the event store: nothing can be missing from it. */
@Component
class AppointmentHistoryQueries {

    private static final String CORRELATION_ID = "correlationId";

    private final EventStore eventStore;
    private final PersonalDataVault vault;

    AppointmentHistoryQueries(EventStore eventStore, PersonalDataVault vault) {
        this.eventStore = eventStore;
        this.vault = vault;
    }

    @QueryHandler
    Optional<AppointmentHistory> handle(FindAppointmentHistoryQuery query) {
        List<? extends DomainEventMessage<?>> events = eventStore.readEvents(query.appointmentId().toString())
                .asStream().toList();
        if (events.isEmpty() || !(events.get(0).getPayload() instanceof AppointmentBookedEvent booked)) {
            return Optional.empty();
        }
        PersonalDataVault.Reader reader = vault.readerFor(List.of(booked.patientId()));
        List<AppointmentHistory.Entry> entries = new ArrayList<>();
        for (DomainEventMessage<?> event : events) {
            entries.add(new AppointmentHistory.Entry(event.getSequenceNumber(), typeOf(event), event.getTimestamp(),
                    uuidOrNull(event.getMetaData().get(Actor.ID)), stringOrNull(event.getMetaData().get(Actor.ROLE)),
                    stringOrNull(event.getMetaData().get(CORRELATION_ID)),
                    changes(event.getPayload(), sealed -> reader.open(booked.patientId(), sealed.text(),
                            Binding.of(query.appointmentId(), sealed.field())))));
        }
        return Optional.of(new AppointmentHistory(query.appointmentId(), entries));
    }

    /** A sealed value of an event, and the field it was sealed for. */
    private record Sealed(EncryptedText text, String field) {
    }

    private static List<Change> changes(Object payload, Function<Sealed, String> open) {
        List<Change> changes = new ArrayList<>();
        if (payload instanceof AppointmentBookedEvent e) {
            set(changes, "status", AppointmentStatus.BOOKED);
            set(changes, "facilityId", e.facilityId());
            set(changes, "doctorId", e.doctorId());
            set(changes, "patientId", e.patientId());
            set(changes, "patientName", open.apply(new Sealed(e.patientName(), SealedFields.PATIENT_NAME)));
            set(changes, "patientEmail", open.apply(new Sealed(e.patientEmail(), SealedFields.PATIENT_EMAIL)));
            set(changes, "start", e.start());
            set(changes, "durationMinutes", e.durationMinutes());
            set(changes, "reason", open.apply(new Sealed(e.reason(), SealedFields.REASON)));
        } else if (payload instanceof AppointmentRescheduledEvent e) {
            changed(changes, "start", e.previousStart(), e.start());
            changed(changes, "durationMinutes", e.previousDurationMinutes(), e.durationMinutes());
            set(changes, "changeReason", open.apply(new Sealed(e.reason(), SealedFields.RESCHEDULE_REASON)));
        } else if (payload instanceof AppointmentCancelledEvent e) {
            changed(changes, "status", AppointmentStatus.BOOKED, AppointmentStatus.CANCELLED);
            set(changes, "cancellationReason", open.apply(new Sealed(e.reason(), SealedFields.CANCELLATION_REASON)));
        } else if (payload instanceof AppointmentFulfilledEvent) {
            changed(changes, "status", AppointmentStatus.BOOKED, AppointmentStatus.FULFILLED);
        } else if (payload instanceof AppointmentMarkedNoShowEvent) {
            changed(changes, "status", AppointmentStatus.BOOKED, AppointmentStatus.NO_SHOW);
        }
        return changes;
    }

    private static void set(List<Change> changes, String field, Object value) {
        if (value != null) {
            changes.add(new Change(field, null, value.toString()));
        }
    }

    private static void changed(List<Change> changes, String field, Object from, Object to) {
        if (!Objects.equals(from, to)) {
            changes.add(new Change(field, from.toString(), to.toString()));
        }
    }

    private static String typeOf(DomainEventMessage<?> event) {
        return event.getPayloadType().getSimpleName().replaceFirst("Event$", "");
    }

    private static UUID uuidOrNull(Object value) {
        return value == null ? null : UUID.fromString(value.toString());
    }

    private static String stringOrNull(Object value) {
        return value == null ? null : value.toString();
    }
}
