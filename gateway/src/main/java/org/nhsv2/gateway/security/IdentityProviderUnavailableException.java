package org.nhsv2.gateway.security;

import org.springframework.security.core.AuthenticationException;

/**
 * The token could not be checked because the identity provider (its metadata or its keys) did not answer: not known
 * to be bad, so 503, not 401. Not an {@code AuthenticationServiceException}, so the resource server's failure handler
 * passes it to the entry point instead of rethrowing it.
 */
class IdentityProviderUnavailableException extends AuthenticationException {

    IdentityProviderUnavailableException(Throwable cause) {
        super("The identity provider cannot be reached: " + cause.getMessage(), cause);
    }
}
