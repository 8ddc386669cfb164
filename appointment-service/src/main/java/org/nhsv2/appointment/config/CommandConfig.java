package org.nhsv2.appointment.config;

import org.nhsv2.appointment.api.AppointmentError;
import org.nhsv2.appointment.api.AppointmentRejection;
import org.nhsv2.platform.problem.RejectionTranslator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class CommandConfig {

    /** A command for an appointment that does not exist answers "appointment-not-found". */
    @Bean
    RejectionTranslator rejectionTranslator() {
        return new RejectionTranslator(notFound -> AppointmentRejection.of(AppointmentError.APPOINTMENT_NOT_FOUND));
    }
}
