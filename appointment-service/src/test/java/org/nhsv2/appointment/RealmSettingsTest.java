package org.nhsv2.appointment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The realm file models production settings, even though the local run imports it too. */
class RealmSettingsTest {

    private static final Path REALM = Path.of("..", "infra", "keycloak", "nhsv2-realm.json");

    @Test
    void shouldLockAnAccountOutTemporarilyAfterRepeatedWrongPasswords() throws IOException {
        JsonNode realm = new ObjectMapper().readTree(REALM.toFile());

        assertThat(realm.path("bruteForceProtected").asBoolean()).isTrue();
        assertThat(realm.path("permanentLockout").asBoolean()).as("a lockout an attacker can make permanent is a denial of service").isFalse();
        assertThat(realm.path("failureFactor").asInt()).isBetween(3, 10);
        assertThat(realm.path("waitIncrementSeconds").asInt()).isPositive();
        assertThat(realm.path("maxFailureWaitSeconds").asInt()).isGreaterThanOrEqualTo(realm.path("waitIncrementSeconds").asInt());
    }

    @Test
    void shouldRequireTlsForEveryAddressButLocalOnes() throws IOException {
        assertThat(new ObjectMapper().readTree(REALM.toFile()).path("sslRequired").asText()).isEqualTo("external");
    }
}
