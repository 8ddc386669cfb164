package org.nhsv2.platform.actor;

import org.junit.jupiter.api.Test;
import org.nhsv2.platform.api.Actor;
import org.nhsv2.platform.security.ApiSecurity;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.jwt.Jwt;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ActorArgumentResolverTest {

    private static final UUID USER = UUID.fromString("3f0c8a52-3a59-4d8e-9f43-5c1b2f6a7d10");
    private static final UUID RIVERSIDE = UUID.fromString("0b1c2d3e-4f50-4617-8a9b-0c1d2e3f4a5b");
    private static final UUID HILLTOP = UUID.fromString("9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d");

    @Test
    void theStrongestRealmRoleAndTheFacilityIdsOfTheToken() {
        Actor actor = actorOf(token(USER.toString(), roles("patient", "DOCTOR", "doctor", "offline_access"),
                Arrays.asList(RIVERSIDE.toString(), "not-an-id", null, HILLTOP.toString())));

        assertThat(actor).isEqualTo(new Actor(USER, Actor.Role.DOCTOR, Set.of(RIVERSIDE, HILLTOP)));
        assertThat(actorOf(token(USER.toString(), roles("PATIENT", "ADMIN"), null)).role()).isEqualTo(Actor.Role.ADMIN);
        assertThat(actorOf(token(USER.toString(), roles("PATIENT"), null)).role()).isEqualTo(Actor.Role.PATIENT);
    }

    /** Every shape of the claim gives what {@code Jwt.getClaimAsStringList} gave, read through the conversion service. */
    @Test
    void facilitiesAsTheTypedAccessorReadsThem() {
        List<Object> shapes = Arrays.asList(null, RIVERSIDE.toString(), List.of(), List.of(RIVERSIDE.toString()),
                List.of(RIVERSIDE.toString(), RIVERSIDE.toString(), HILLTOP.toString()), List.of(42, true, "x"),
                Arrays.asList(null, HILLTOP.toString()), 42, Map.of("id", RIVERSIDE.toString()));
        for (Object shape : shapes) {
            Jwt jwt = token(USER.toString(), roles("DOCTOR"), shape);

            assertThat(actorOf(jwt).facilities()).as("%s", shape).isEqualTo(facilitiesAsBefore(jwt));
        }
        assertThat(actorOf(token(USER.toString(), roles("DOCTOR"), RIVERSIDE.toString())).facilities())
                .containsExactly(RIVERSIDE);
    }

    @Test
    void aTokenWithoutAnNhsv2RoleOrAUserIdIsRefused() {
        assertThatThrownBy(() -> actorOf(token(USER.toString(), roles("offline_access"), null)))
                .isInstanceOf(AccessDeniedException.class).hasMessage("the token carries no NHSv2 role");
        assertThatThrownBy(() -> actorOf(token(USER.toString(), Map.of("realm_access", "DOCTOR"), null)))
                .isInstanceOf(AccessDeniedException.class).hasMessage("the token carries no NHSv2 role");
        assertThatThrownBy(() -> actorOf(token(USER.toString(), Map.of("realm_access", Map.of("roles", "DOCTOR")), null)))
                .isInstanceOf(AccessDeniedException.class).hasMessage("the token carries no NHSv2 role");
        assertThatThrownBy(() -> actorOf(token("alice", roles("DOCTOR"), null)))
                .isInstanceOf(AccessDeniedException.class).hasMessage("the token's subject is not a user id");
        assertThatThrownBy(() -> actorOf(token(null, roles("DOCTOR"), null)))
                .isInstanceOf(AccessDeniedException.class).hasMessage("the token's subject is not a user id");
        assertThatThrownBy(() -> ActorArgumentResolver.actorOf(null))
                .isInstanceOf(AccessDeniedException.class).hasMessage("a bearer token is required");
    }

    private static Actor actorOf(Jwt jwt) {
        Authentication authentication = ApiSecurity.keycloakRoles().convert(jwt);
        return ActorArgumentResolver.actorOf(authentication);
    }

    private static Set<UUID> facilitiesAsBefore(Jwt jwt) {
        List<String> claim = jwt.getClaimAsStringList(ActorArgumentResolver.FACILITIES_CLAIM);
        if (claim == null) {
            return Set.of();
        }
        return claim.stream().filter(Objects::nonNull).map(value -> {
            try {
                return UUID.fromString(value);
            } catch (IllegalArgumentException e) {
                return null;
            }
        }).filter(Objects::nonNull).collect(Collectors.toSet());
    }

    private static Map<String, Object> roles(String... roles) {
        return Map.of("realm_access", Map.of("roles", List.of(roles)));
    }

    private static Jwt token(String subject, Map<String, Object> claims, Object facilities) {
        Jwt.Builder token = Jwt.withTokenValue("token").header("alg", "RS256").claims(all -> all.putAll(claims));
        if (subject != null) {
            token.subject(subject);
        }
        if (facilities != null) {
            token.claim(ActorArgumentResolver.FACILITIES_CLAIM, facilities);
        }
        return token.build();
    }
}
