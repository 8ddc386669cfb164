package org.nhsv2.appointment.command;

import org.nhsv2.appointment.api.AppointmentError;
import org.nhsv2.appointment.api.AppointmentRejection;

/** A business rule said no; turned into a {@code CommandExecutionException} at the handler's edge. */
public class AppointmentRejectedException extends RuntimeException {

    private final transient AppointmentRejection rejection;

    AppointmentRejectedException(AppointmentError error) {
        this(AppointmentRejection.of(error));
    }

    AppointmentRejectedException(AppointmentRejection rejection) {
        super(rejection.detail(), null, false, false);
        this.rejection = rejection;
    }

    public AppointmentRejection rejection() {
        return rejection;
    }
}
