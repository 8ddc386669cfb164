package org.nhsv2.platform.security;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.nhsv2.platform.problem.ProblemWriter;
import org.nhsv2.platform.problem.Problems;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.oauth2.server.resource.web.BearerTokenAuthenticationEntryPoint;
import org.springframework.security.oauth2.server.resource.web.access.BearerTokenAccessDeniedHandler;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.access.AccessDeniedHandler;

import java.io.IOException;

/**
 * 401 and 403 from the security filters as problem details, keeping the RFC 6750 headers; 503 with
 * {@code Retry-After} when the token could not be checked because the identity provider is unreachable.
 */
public class ProblemSecurityHandlers implements AuthenticationEntryPoint, AccessDeniedHandler {

    /** As {@code ProblemAdvice} answers any other unavailable dependency. */
    private static final String RETRY_AFTER_SECONDS = "5";

    private final BearerTokenAuthenticationEntryPoint bearerEntryPoint = new BearerTokenAuthenticationEntryPoint();
    private final BearerTokenAccessDeniedHandler bearerDenied = new BearerTokenAccessDeniedHandler();
    private final ProblemWriter problems;

    public ProblemSecurityHandlers(ProblemWriter problems) {
        this.problems = problems;
    }

    @Override
    public void commence(HttpServletRequest request, HttpServletResponse response, AuthenticationException e)
            throws IOException {
        if (e instanceof IdentityProviderUnavailableException) {
            response.setHeader(HttpHeaders.RETRY_AFTER, RETRY_AFTER_SECONDS);
            problems.write(response, Problems.of(HttpStatus.SERVICE_UNAVAILABLE, "dependency-unavailable",
                    "Service temporarily unavailable",
                    "The identity provider is not answering, so the token cannot be checked yet; retry shortly"));
            return;
        }
        bearerEntryPoint.commence(request, response, e);
        problems.write(response, Problems.of(HttpStatus.UNAUTHORIZED, "unauthenticated", "Authentication required",
                "Send a valid bearer token from the nhsv2 realm"));
    }

    @Override
    public void handle(HttpServletRequest request, HttpServletResponse response, AccessDeniedException e)
            throws IOException {
        bearerDenied.handle(request, response, e);
        problems.write(response, Problems.of(HttpStatus.FORBIDDEN, "forbidden", "Forbidden",
                "Your role does not allow this operation"));
    }
}
