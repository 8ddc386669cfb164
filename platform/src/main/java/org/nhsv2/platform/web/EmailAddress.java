package org.nhsv2.platform.web;

import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The text is {@code null} or one address that {@link Recipients} would hand to the email provider. Bean
 * Validation's {@code @Email} takes more (a quoted local part, a domain without a dot, an address literal):
 * addresses that would be refused only later, when their email is sent, or that a calendar invitation cannot
 * name.
 */
@Documented
@Constraint(validatedBy = EmailAddress.Validator.class)
@Target({ElementType.FIELD, ElementType.RECORD_COMPONENT, ElementType.PARAMETER})
@Retention(RetentionPolicy.RUNTIME)
public @interface EmailAddress {

    String message() default "must be one plain email address, such as name@example.org";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};

    class Validator implements ConstraintValidator<EmailAddress, String> {

        @Override
        public boolean isValid(String value, ConstraintValidatorContext context) {
            return value == null || Recipients.isDeliverable(value);
        }
    }
}
