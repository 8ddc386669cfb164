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

/** The text is {@code null} or holds no character that {@link UserText} refuses. */
@Documented
@Constraint(validatedBy = PlainText.Validator.class)
@Target({ElementType.FIELD, ElementType.RECORD_COMPONENT, ElementType.PARAMETER})
@Retention(RetentionPolicy.RUNTIME)
public @interface PlainText {

    /** Reasons may span lines; names and addresses may not. */
    boolean lineBreaks() default false;

    String message() default "must not contain control, invisible or private-use characters";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};

    class Validator implements ConstraintValidator<PlainText, String> {

        private boolean lineBreaks;

        @Override
        public void initialize(PlainText annotation) {
            lineBreaks = annotation.lineBreaks();
        }

        @Override
        public boolean isValid(String value, ConstraintValidatorContext context) {
            if (value == null) {
                return true;
            }
            return UserText.forbiddenCharacter(value, lineBreaks).map(character -> {
                context.disableDefaultConstraintViolation();
                context.buildConstraintViolationWithTemplate(
                                "must not contain control, invisible or private-use characters (found " + character + ")")
                        .addConstraintViolation();
                return false;
            }).orElse(true);
        }
    }
}
