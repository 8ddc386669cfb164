package org.nhsv2.appointment.query;

import org.nhsv2.appointment.api.AppointmentView;
import org.nhsv2.appointment.api.SealedFields;
import org.nhsv2.platform.vault.PersonalDataVault;
import org.nhsv2.platform.vault.PersonalDataVault.RecordReader;
import org.nhsv2.platform.vault.SealedRows;
import org.springframework.stereotype.Component;

/** Opens the sealed fields of rows only at the moment they are handed to a reader. */
@Component
class AppointmentViews extends SealedRows<AppointmentRow, AppointmentView> {

    AppointmentViews(PersonalDataVault vault) {
        super(vault, AppointmentRow::patientId, AppointmentRow::appointmentId, AppointmentViews::view);
    }

    private static AppointmentView view(AppointmentRow row, RecordReader sealed) {
        return new AppointmentView(row.appointmentId(), row.facilityId(), row.doctorId(), row.patientId(),
                sealed.open(row.patientName(), SealedFields.PATIENT_NAME),
                sealed.open(row.patientEmail(), SealedFields.PATIENT_EMAIL),
                row.start(), row.end(), row.durationMinutes(),
                sealed.open(row.reason(), SealedFields.REASON),
                row.status(),
                sealed.open(row.cancellationReason(), SealedFields.CANCELLATION_REASON),
                row.emailDeliveredAt(), row.emailFailure(), row.version());
    }
}
