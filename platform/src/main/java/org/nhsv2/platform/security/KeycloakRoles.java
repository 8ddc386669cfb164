package org.nhsv2.platform.security;

import org.springframework.core.convert.converter.Converter;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.oauth2.jwt.Jwt;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Keycloak puts realm roles in {@code realm_access.roles}; Spring Security wants {@code ROLE_} authorities.
 * <p>
 * The claim is read as the token's JSON gave it (an object holding an array), not through
 * {@code Jwt.getClaimAsMap}, which copies it through Spring's conversion service on every request (a type
 * descriptor built, a converter looked up): most of this conversion's cost. A {@code realm_access} that is not an
 * object gives no roles (that method threw instead).
 */
final class KeycloakRoles implements Converter<Jwt, Collection<GrantedAuthority>> {

    private static final String REALM_ACCESS = "realm_access";

    @Override
    public Collection<GrantedAuthority> convert(Jwt jwt) {
        if (!(jwt.getClaims().get(REALM_ACCESS) instanceof Map<?, ?> realmAccess)
                || !(realmAccess.get("roles") instanceof Collection<?> roles)) {
            return List.of();
        }
        List<GrantedAuthority> authorities = new ArrayList<>(roles.size());
        for (Object role : roles) {
            authorities.add(new SimpleGrantedAuthority("ROLE_" + role));
        }
        return authorities;
    }
}
