package org.nhsv2.platform.actor;

import org.nhsv2.platform.api.Actor;
import org.springframework.core.MethodParameter;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.web.bind.support.WebDataBinderFactory;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.method.support.ModelAndViewContainer;

import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * Gives controllers the calling {@link Actor}: the token's subject, its strongest realm role and
 * the facility ids of its {@code facilities} claim.
 */
public class ActorArgumentResolver implements HandlerMethodArgumentResolver {

    static final String FACILITIES_CLAIM = "facilities";

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
            id = UUID.fromString(jwt.getSubject());
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new AccessDeniedException("the token's subject is not a user id");
        }
        return new Actor(id, strongestRole(token.getAuthorities()), facilities(jwt.getClaimAsStringList(FACILITIES_CLAIM)));
    }

    private static Actor.Role strongestRole(Collection<GrantedAuthority> authorities) {
        Set<String> names = authorities.stream().map(GrantedAuthority::getAuthority).collect(Collectors.toSet());
        for (Actor.Role role : List.of(Actor.Role.DOCTOR, Actor.Role.ADMIN, Actor.Role.PATIENT)) {
            if (names.contains("ROLE_" + role.name())) {
                return role;
            }
        }
        throw new AccessDeniedException("the token carries no NHSv2 role");
    }

    private static Set<UUID> facilities(List<String> claim) {
        if (claim == null) {
            return Set.of();
        }
        return claim.stream().filter(Objects::nonNull).map(ActorArgumentResolver::uuidOrNull)
                .filter(Objects::nonNull).collect(Collectors.toSet());
    }

    private static UUID uuidOrNull(String value) {
        try {
            return UUID.fromString(value);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
