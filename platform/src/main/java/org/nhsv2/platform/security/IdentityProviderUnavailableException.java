package org.nhsv2.platform.security;

import org.springframework.security.core.AuthenticationException;

/**
 * The token could not be checked because the identity provider (its metadata or its keys) did not answer: the
 * request is not known to be bad, so it is answered 503, not 401. An {@link AuthenticationException} that is not an
 * {@code AuthenticationServiceException}, so the bearer-token filter hands it to the entry point
 * ({@link ProblemSecurityHandlers}) instead of rethrowing it as a 500.
 */
public class IdentityProviderUnavailableException extends AuthenticationException {

    public IdentityProviderUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
