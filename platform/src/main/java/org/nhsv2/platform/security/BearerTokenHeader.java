package org.nhsv2.platform.security;

import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.HttpHeaders;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.server.resource.BearerTokenErrors;
import org.springframework.security.oauth2.server.resource.web.BearerTokenResolver;
import org.springframework.security.oauth2.server.resource.web.DefaultBearerTokenResolver;
import org.springframework.util.StringUtils;

/**
 * The bearer token of a request, from its {@code Authorization} header only, with the answers of Spring
 * Security's {@link DefaultBearerTokenResolver} as configured by default: none without a {@code Bearer} scheme
 * (any case), a 401 {@code invalid_token} for a malformed one. That class matches the whole header, a token of
 * a kilobyte, against a regular expression on every request; this one reads it once, character by character.
 * {@code BearerTokenHeaderTest} holds both to the same answers.
 */
final class BearerTokenHeader implements BearerTokenResolver {

    private static final String SCHEME = "bearer ";

    @Override
    public String resolve(HttpServletRequest request) {
        String authorization = request.getHeader(HttpHeaders.AUTHORIZATION);
        if (!StringUtils.startsWithIgnoreCase(authorization, "bearer")) {
            return null;
        }
        if (!isWellFormed(authorization)) {
            throw new OAuth2AuthenticationException(BearerTokenErrors.invalidToken("Bearer token is malformed"));
        }
        return authorization.substring(SCHEME.length());
    }

    /** {@code Bearer (?<token>[a-zA-Z0-9-._~+/]+=*)}: the scheme in either case (ASCII only), then the token, to the end. */
    private static boolean isWellFormed(String authorization) {
        int length = authorization.length();
        if (length <= SCHEME.length() || authorization.charAt(SCHEME.length() - 1) != ' ') {
            return false;
        }
        for (int i = 0; i < SCHEME.length() - 1; i++) {
            // Only 'B' and 'b' become 'b' when the case bit is set, and so on for each letter.
            if ((authorization.charAt(i) | 0x20) != SCHEME.charAt(i)) {
                return false;
            }
        }
        int end = SCHEME.length();
        while (end < length && isTokenCharacter(authorization.charAt(end))) {
            end++;
        }
        if (end == SCHEME.length()) {
            return false;
        }
        while (end < length && authorization.charAt(end) == '=') {
            end++;
        }
        return end == length;
    }

    private static boolean isTokenCharacter(char c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
                || c == '-' || c == '.' || c == '_' || c == '~' || c == '+' || c == '/';
    }
}
