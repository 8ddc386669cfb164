package org.nhsv2.appointment.query;

import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.queryhandling.QueryHandler;
import org.nhsv2.appointment.api.AppointmentBookedEvent;
import org.nhsv2.appointment.api.AppointmentCancelledEvent;
import org.nhsv2.appointment.api.AppointmentFulfilledEvent;
import org.nhsv2.appointment.api.AppointmentHistory;
import org.nhsv2.appointment.api.AppointmentMarkedNoShowEvent;
import org.nhsv2.appointment.api.AppointmentRescheduledEvent;
import org.nhsv2.appointment.api.AppointmentStatus;
import org.nhsv2.appointment.api.ConfirmationDeliveredEvent;
import org.nhsv2.appointment.api.ConfirmationFailedEvent;
import org.nhsv2.appointment.api.ConfirmationSupersededEvent;
import org.nhsv2.appointment.api.FindAppointmentHistoryQuery;
import org.nhsv2.appointment.api.SealedFields;
import org.nhsv2.platform.api.FieldChange;
import org.nhsv2.platform.history.Changes;
import org.nhsv2.platform.history.EventHistory;
import org.nhsv2.platform.history.SealedHistory;
import org.nhsv2.platform.vault.PersonalDataVault;
import org.nhsv2.platform.vault.PersonalDataVault.RecordReader;
import org.springframework.stereotype.Component;

import java.util.List;
import java.util.Optional;

/** Reads an appointment's history straight from the event store: nothing can be missing from it. */
@Component
class AppointmentHistoryQueries {

    private final SealedHistory history;

    AppointmentHistoryQueries(EventStore eventStore, PersonalDataVault vault) {
        this.history = new SealedHistory(eventStore, vault);
    }

    @QueryHandler
    Optional<AppointmentHistory> handle(FindAppointmentHistoryQuery query) {
        return history.entries(query.appointmentId(), AppointmentBookedEvent.class, AppointmentBookedEvent::patientId,
                        AppointmentHistoryQueries::entry)
                .map(entries -> new AppointmentHistory(query.appointmentId(), entries));
    }

    private static AppointmentHistory.Entry entry(DomainEventMessage<?> event, RecordReader sealed) {
        return new AppointmentHistory.Entry(event.getSequenceNumber(), EventHistory.typeOf(event), event.getTimestamp(),
                EventHistory.actorId(event), EventHistory.actorRole(event), EventHistory.correlationId(event),
                changes(event.getPayload(), sealed));
    }

    private static List<FieldChange> changes(Object payload, RecordReader sealed) {
        Changes changes = new Changes();
        if (payload instanceof AppointmentBookedEvent e) {
            changes.set("status", AppointmentStatus.BOOKED)
                    .set("facilityId", e.facilityId())
                    .set("doctorId", e.doctorId())
                    .set("patientId", e.patientId())
                    .set("patientName", sealed.open(e.patientName(), SealedFields.PATIENT_NAME))
                    .set("patientEmail", sealed.open(e.patientEmail(), SealedFields.PATIENT_EMAIL))
                    .set("start", e.start())
                    .set("durationMinutes", e.durationMinutes())
                    .set("reason", sealed.open(e.reason(), SealedFields.REASON));
        } else if (payload instanceof AppointmentRescheduledEvent e) {
            changes.changed("start", e.previousStart(), e.start())
                    .changed("durationMinutes", e.previousDurationMinutes(), e.durationMinutes())
                    .set("changeReason", sealed.open(e.reason(), SealedFields.RESCHEDULE_REASON));
        } else if (payload instanceof AppointmentCancelledEvent e) {
            changes.changed("status", AppointmentStatus.BOOKED, AppointmentStatus.CANCELLED)
                    .set("cancellationReason", sealed.open(e.reason(), SealedFields.CANCELLATION_REASON));
        } else if (payload instanceof AppointmentFulfilledEvent) {
            changes.changed("status", AppointmentStatus.BOOKED, AppointmentStatus.FULFILLED);
        } else if (payload instanceof AppointmentMarkedNoShowEvent) {
            changes.changed("status", AppointmentStatus.BOOKED, AppointmentStatus.NO_SHOW);
        } else if (payload instanceof ConfirmationDeliveredEvent e) {
            changes.set("emailRequestId", e.requestId()).set("emailDeliveredAt", e.deliveredAt());
        } else if (payload instanceof ConfirmationFailedEvent e) {
            changes.set("emailRequestId", e.requestId()).set("emailFailure", e.reason())
                    .set("emailFailurePermanent", e.permanent());
        } else if (payload instanceof ConfirmationSupersededEvent e) {
            changes.set("emailRequestId", e.requestId()).set("emailSupersededBy", e.supersededBy());
        }
        return changes.toList();
    }
}
