package org.nhsv2.appointment.command;

import org.nhsv2.appointment.api.AppointmentError;
import org.nhsv2.appointment.api.AppointmentRejection;
import org.nhsv2.platform.problem.RejectedException;

/** A business rule said no; turned into a {@code CommandExecutionException} at the handler's edge. */
public class AppointmentRejectedException extends RejectedException {

    AppointmentRejectedException(AppointmentError error) {
        this(AppointmentRejection.of(error));
    }

    AppointmentRejectedException(AppointmentRejection rejection) {
        super(rejection);
    }
}
