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

/** The field is {@code null} or {@linkplain AppointmentTimes#isOnWholeMinute on a whole minute}. */
@Documented
@Constraint(validatedBy = WholeMinute.Validator.class)
@Target({ElementType.FIELD, ElementType.RECORD_COMPONENT, ElementType.PARAMETER})
@Retention(RetentionPolicy.RUNTIME)
@interface WholeMinute {

    String message() default "must be on a whole minute (no seconds)";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};

    class Validator implements ConstraintValidator<WholeMinute, Instant> {
        @Override
        public boolean isValid(Instant value, ConstraintValidatorContext context) {
            return value == null || AppointmentTimes.isOnWholeMinute(value);
        }
    }
}
