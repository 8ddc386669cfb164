package org.nhsv2.payment.web;

import org.nhsv2.payment.api.PaymentError;
import org.nhsv2.platform.problem.Problems;
import org.springframework.http.HttpStatus;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.ErrorResponseException;

/**
 * A patient paying for themselves, as their token says: the name, and the address the payment link and the receipt go
 * to. The address only once Keycloak has verified it ({@code email_verified}): a patient may change their email in
 * their account, and an unverified one would have this service, and Stripe, write to any address under its name.
 */
record PayingPatient(String name, String email) {

    static PayingPatient of(Jwt token) {
        if (!Boolean.TRUE.equals(token.getClaimAsBoolean("email_verified"))) {
            throw new ErrorResponseException(HttpStatus.FORBIDDEN, Problems.of(HttpStatus.FORBIDDEN,
                    PaymentError.EMAIL_NOT_VERIFIED.code(), PaymentError.EMAIL_NOT_VERIFIED.title(),
                    "Verify your email address in your account first, or ask your doctor to start the payment"), null);
        }
        String name = token.getClaimAsString("name");
        return new PayingPatient(name != null && !name.isBlank() ? name : token.getClaimAsString("preferred_username"),
                token.getClaimAsString("email"));
    }
}
