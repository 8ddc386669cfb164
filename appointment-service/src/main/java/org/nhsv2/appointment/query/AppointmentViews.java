package org.nhsv2.appointment.query;

import org.nhsv2.appointment.api.AppointmentView;
import org.nhsv2.appointment.api.SealedFields;
import org.nhsv2.platform.vault.PersonalDataVault.Binding;
import org.nhsv2.platform.vault.PersonalDataVault;
import org.springframework.stereotype.Component;

import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

/** Opens the sealed fields of rows only at the moment they are handed to a reader. */
@Component
class AppointmentViews {

    private final PersonalDataVault vault;

    AppointmentViews(PersonalDataVault vault) {
        this.vault = vault;
    }

    List<AppointmentView> open(List<AppointmentRow> rows) {
        Set<UUID> patients = rows.stream().map(AppointmentRow::patientId).collect(Collectors.toSet());
        PersonalDataVault.Reader reader = vault.readerFor(patients);
        return rows.stream().map(row -> {
            UUID id = row.appointmentId();
            return new AppointmentView(id, row.facilityId(), row.doctorId(), row.patientId(),
                    reader.open(row.patientId(), row.patientName(), Binding.of(id, SealedFields.PATIENT_NAME)),
                    reader.open(row.patientId(), row.patientEmail(), Binding.of(id, SealedFields.PATIENT_EMAIL)),
                    row.start(), row.end(), row.durationMinutes(),
                    reader.open(row.patientId(), row.reason(), Binding.of(id, SealedFields.REASON)),
                    row.status(),
                    reader.open(row.patientId(), row.cancellationReason(), Binding.of(id, SealedFields.CANCELLATION_REASON)),
                    row.emailDeliveredAt(), row.emailFailure(), row.version());
        }).toList();
    }

    AppointmentView open(AppointmentRow row) {
        return open(List.of(row)).get(0);
    }
}
