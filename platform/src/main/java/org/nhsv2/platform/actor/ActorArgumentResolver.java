package org.nhsv2.platform.actor;

import org.nhsv2.platform.api.Actor;
import org.springframework.core.MethodParameter;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtClaimNames;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.web.bind.support.WebDataBinderFactory;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.method.support.ModelAndViewContainer;

import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * Gives controllers the calling {@link Actor}: the token's subject, its strongest realm role and
 * the facility ids of its {@code facilities} claim. The claims are read as the token's JSON gave them, with the
 * answers of {@code Jwt}'s typed accessors but without their trip through Spring's conversion service on every
 * request.
 */
public class ActorArgumentResolver implements HandlerMethodArgumentResolver {

    static final String FACILITIES_CLAIM = "facilities";
    /** The role a token holding several acts in: strongest first. */
    private static final List<Actor.Role> STRENGTH = List.of(Actor.Role.DOCTOR, Actor.Role.ADMIN, Actor.Role.PATIENT);
    private static final Map<String, Actor.Role> ROLES = STRENGTH.stream()
            .collect(Collectors.toUnmodifiableMap(role -> "ROLE_" + role.name(), role -> role));

    @Override
    public boolean supportsParameter(MethodParameter parameter) {
        return Actor.class.equals(parameter.getParameterType());
    }

    @Override
    public Actor resolveArgument(MethodParameter parameter, ModelAndViewContainer mavContainer,
                                 NativeWebRequest webRequest, WebDataBinderFactory binderFactory) {
        return actorOf(SecurityContextHolder.getContext().getAuthentication());
    }

    static Actor actorOf(Authentication authentication) {
        if (!(authentication instanceof JwtAuthenticationToken token)) {
            throw new AccessDeniedException("a bearer token is required");
        }
        Jwt jwt = token.getToken();
        UUID id;
        try {
            id = UUID.fromString(String.valueOf(jwt.getClaims().get(JwtClaimNames.SUB)));
        } catch (IllegalArgumentException e) {
            throw new AccessDeniedException("the token's subject is not a user id");
        }
        return new Actor(id, strongestRole(token.getAuthorities()), facilities(jwt.getClaims().get(FACILITIES_CLAIM)));
    }

    private static Actor.Role strongestRole(Collection<GrantedAuthority> authorities) {
        Actor.Role strongest = null;
        for (GrantedAuthority authority : authorities) {
            Actor.Role role = ROLES.get(authority.getAuthority());
            if (role != null && (strongest == null || STRENGTH.indexOf(role) < STRENGTH.indexOf(strongest))) {
                strongest = role;
            }
        }
        if (strongest == null) {
            throw new AccessDeniedException("the token carries no NHSv2 role");
        }
        return strongest;
    }

    /**
     * The claim's values that are facility ids, read as {@code Jwt.getClaimAsStringList} reads them: each value's
     * text, a single value as a list of one.
     */
    private static Set<UUID> facilities(Object claim) {
        if (claim == null) {
            return Set.of();
        }
        Set<UUID> ids = new HashSet<>();
        for (Object value : claim instanceof Collection<?> values ? values : List.of(claim)) {
            UUID id = value == null ? null : uuidOrNull(value.toString());
            if (id != null) {
                ids.add(id);
            }
        }
        return ids;
    }

    private static UUID uuidOrNull(String value) {
        try {
            return UUID.fromString(value);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
