package org.nhsv2.appointment.web;

import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.time.Instant;

/**
 * Appointment times fall on whole minutes. Seconds and fractions would only be truncated on the
 * way into the database, so the time a client sent and the one it reads back could differ.
 */
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
            return value == null || value.getEpochSecond() % 60 == 0 && value.getNano() == 0;
        }
    }
}
