package org.nhsv2.appointment.web;

import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;
import org.nhsv2.appointment.api.AppointmentTimes;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.time.Instant;

/** The start is {@code null} or {@linkplain AppointmentTimes#isWithinBookingHorizon within the booking horizon}. */
@Documented
@Constraint(validatedBy = WithinBookingHorizon.Validator.class)
@Target({ElementType.FIELD, ElementType.RECORD_COMPONENT, ElementType.PARAMETER})
@Retention(RetentionPolicy.RUNTIME)
@interface WithinBookingHorizon {

    String message() default "must be at most " + AppointmentTimes.BOOKING_HORIZON_YEARS + " years ahead";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};

    class Validator implements ConstraintValidator<WithinBookingHorizon, Instant> {
        @Override
        public boolean isValid(Instant value, ConstraintValidatorContext context) {
            // The validation clock, so tests can move time for this rule and @Future together.
            return value == null || AppointmentTimes.isWithinBookingHorizon(value,
                    context.getClockProvider().getClock().instant());
        }
    }
}
