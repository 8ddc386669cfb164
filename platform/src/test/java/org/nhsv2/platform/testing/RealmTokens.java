package org.nhsv2.platform.testing;

import com.nimbusds.jwt.JWTClaimsSet;
import org.springframework.test.context.DynamicPropertyRegistry;

import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * Tokens for the demo users shaped as the realm's (infra/keycloak/nhsv2-realm.json: {@code sub}, names, email,
 * {@code realm_access.roles}, {@code facilities}, audience {@code nhsv2-api}), signed by a {@link TestIssuer}; and the
 * bad ones Keycloak never hands out: expired, naming another issuer, for another audience. A test that points a
 * service at the issuer ({@link #trustedBy}) decides every claim, which real Keycloak tokens do not allow.
 */
public final class RealmTokens {

    private record User(UUID id, String role, List<String> facilities, String first, String last) {
    }

    private static final Map<String, User> USERS = Map.of(
            DemoUsers.ALICE, new User(DemoUsers.ALICE_ID, "DOCTOR", List.of(DemoUsers.RIVERSIDE.toString()), "Alice", "Doctor"),
            DemoUsers.CAROL, new User(DemoUsers.CAROL_ID, "DOCTOR", List.of(DemoUsers.RIVERSIDE.toString()), "Carol", "Doctor"),
            DemoUsers.BOB, new User(DemoUsers.BOB_ID, "DOCTOR", List.of(DemoUsers.NORTHGATE.toString()), "Bob", "Doctor"),
            DemoUsers.PAT_ONE, new User(DemoUsers.PAT_ONE_ID, "PATIENT", List.of(), "Pat", "One"),
            DemoUsers.PAT_TWO, new User(DemoUsers.PAT_TWO_ID, "PATIENT", List.of(), "Pat", "Two"),
            DemoUsers.ADMIN, new User(DemoUsers.ADMIN_ID, "ADMIN", List.of(), "Admin", "Ops"));

    private static RealmTokens shared;

    private final TestIssuer issuer;

    public RealmTokens(TestIssuer issuer) {
        this.issuer = issuer;
    }

    /** One issuer for the test JVM, started on first use and left running until the JVM ends. */
    public static synchronized RealmTokens shared() {
        if (shared == null) {
            TestIssuer issuer = new TestIssuer();
            issuer.start();
            shared = new RealmTokens(issuer);
        }
        return shared;
    }

    /** Makes the service of a test context trust this issuer instead of Keycloak (from a {@code @DynamicPropertySource}). */
    public void trustedBy(DynamicPropertyRegistry registry) {
        registry.add("spring.security.oauth2.resourceserver.jwt.issuer-uri", issuer::uri);
        registry.add("spring.security.oauth2.resourceserver.jwt.audiences", () -> TestIssuer.AUDIENCE);
    }

    /** A valid token for the demo user, as Keycloak would issue it. */
    public String of(String username) {
        return issuer.token(claimsOf(username));
    }

    /** A valid token for a patient who is none of the demo users, as Keycloak would issue it for a new account. */
    public String ofPatient(UUID id, String username) {
        return issuer.token(claims -> claims.subject(id.toString()).claim("preferred_username", username)
                .claim("name", username).claim("email", username + "@example.test").claim("email_verified", true)
                .claim("azp", "nhsv2-cli").claim("realm_access", Map.of("roles", List.of("PATIENT"))));
    }

    /**
     * A token every role rule would let through (all three roles, both facilities, alice's id), but expired two
     * minutes ago (past the minute of clock skew the check allows).
     */
    public String expired() {
        Instant past = Instant.now().minus(Duration.ofMinutes(10));
        return issuer.token(everything().andThen(claims -> claims.issueTime(Date.from(past))
                .expirationTime(Date.from(past.plus(Duration.ofMinutes(8))))));
    }

    /** As {@link #expired}, but valid, signed with the trusted key, and naming another issuer. */
    public String fromAnotherIssuer() {
        return issuer.token(everything().andThen(claims -> claims.issuer("http://127.0.0.1:1/realms/nhsv2")));
    }

    /** As {@link #expired}, but valid, and for another audience (Keycloak's default {@code account}). */
    public String forAnotherAudience() {
        return issuer.token(everything().andThen(claims -> claims.audience(List.of("account"))));
    }

    private static Consumer<JWTClaimsSet.Builder> everything() {
        return claimsOf(DemoUsers.ALICE).andThen(claims -> claims
                .claim("realm_access", Map.of("roles", List.of("DOCTOR", "PATIENT", "ADMIN")))
                .claim("facilities", List.of(DemoUsers.RIVERSIDE.toString(), DemoUsers.NORTHGATE.toString())));
    }

    private static Consumer<JWTClaimsSet.Builder> claimsOf(String username) {
        User user = USERS.get(username);
        if (user == null) {
            throw new IllegalArgumentException("Not a demo user: " + username);
        }
        return claims -> {
            claims.subject(user.id().toString()).claim("preferred_username", username)
                    .claim("given_name", user.first()).claim("family_name", user.last())
                    .claim("name", user.first() + " " + user.last()).claim("email", username + "@example.test")
                    .claim("email_verified", true) // as Keycloak says of the demo users ("emailVerified": true)
                    .claim("azp", "nhsv2-cli").claim("realm_access", Map.of("roles", List.of(user.role())));
            if (!user.facilities().isEmpty()) { // Keycloak leaves the claim out for a user with no facility
                claims.claim("facilities", user.facilities());
            }
        };
    }
}
