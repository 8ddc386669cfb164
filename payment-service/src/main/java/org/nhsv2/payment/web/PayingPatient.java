package org.nhsv2.payment.web;

import org.nhsv2.payment.api.PaymentError;
import org.nhsv2.platform.problem.Problems;
import org.nhsv2.platform.web.Recipients;
import org.nhsv2.platform.web.UserText;
import org.springframework.http.HttpStatus;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.ErrorResponseException;

import java.util.Optional;

/**
 * A patient paying for themselves, as their token says: the name, and the address the payment link and the receipt go
 * to. The address only once Keycloak has verified it ({@code email_verified}): a patient may change their email in
 * their account, and an unverified one would have this service, and Stripe, write to any address under its name.
 * The patient may change their name there too, so both are held to the rules a doctor's request body is: the name
 * normalised, 1 to 200 characters, none that has no place in a name (a control, a direction override, a zero-width
 * space); the address one plain {@code local@domain.tld}. Otherwise 422 {@code account-details-unusable}: the name
 * would reach doctors' views and the emails as typed, and an address no provider takes would fail the link unseen.
 */
record PayingPatient(String name, String email) {

    private static final int MAX_NAME_LENGTH = 200;

    static PayingPatient of(Jwt token) {
        if (!Boolean.TRUE.equals(token.getClaimAsBoolean("email_verified"))) {
            throw refused(HttpStatus.FORBIDDEN, PaymentError.EMAIL_NOT_VERIFIED,
                    "Verify your email address in your account first, or ask your doctor to start the payment");
        }
        String claimed = token.getClaimAsString("name");
        String name = UserText.singleLine(claimed != null && !claimed.isBlank() ? claimed
                : token.getClaimAsString("preferred_username"));
        String email = UserText.singleLine(token.getClaimAsString("email"));
        Optional<String> nameProblem = name == null || name.isEmpty() ? Optional.of("is empty")
                : name.length() > MAX_NAME_LENGTH ? Optional.of("is longer than " + MAX_NAME_LENGTH + " characters")
                : UserText.forbiddenCharacter(name, false).map(character -> "holds " + character
                        + ", which has no place in a name");
        if (nameProblem.isPresent()) {
            throw unusable("Your account's name " + nameProblem.get());
        }
        if (!Recipients.isDeliverable(email)) {
            throw unusable("Your account's email address is not one plain address such as name@example.org");
        }
        return new PayingPatient(name, email);
    }

    private static ErrorResponseException unusable(String what) {
        return refused(HttpStatus.UNPROCESSABLE_ENTITY, PaymentError.ACCOUNT_DETAILS_UNUSABLE,
                what + ": correct it in your account, or ask your doctor to start the payment");
    }

    private static ErrorResponseException refused(HttpStatus status, PaymentError error, String detail) {
        return new ErrorResponseException(status, Problems.of(status, error.code(), error.title(), detail), null);
    }
}
