package org.nhsv2.payment.web;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.nhsv2.payment.PaymentIntegrationTest;
import org.nhsv2.platform.testing.Api;
import org.nhsv2.platform.testing.DemoUsers;

import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** Who reads which transaction: the patient, the facility's doctors, admins; nobody else. */
class TransactionReadsIT extends PaymentIntegrationTest {

    @Test
    void shouldShowATransactionToItsPatientItsFacilitysDoctorsAndAdminsOnly() {
        UUID id = idOf(openCheckout());
        String path = "/api/transactions/" + id;

        assertThat(as(DemoUsers.PAT_ONE).get(path).status()).isEqualTo(200);
        assertThat(as(DemoUsers.CAROL).get(path).status()).isEqualTo(200);
        assertThat(as(DemoUsers.ADMIN).get(path).status()).isEqualTo(200);
        Api.Response otherPatient = as(DemoUsers.PAT_TWO).get(path);
        assertThat(otherPatient.status()).isEqualTo(404);
        assertThat(otherPatient.text("code")).isEqualTo("transaction-not-found");
        assertThat(as(DemoUsers.PAT_TWO).get(path + "/history").status()).isEqualTo(404);
        assertThat(as(DemoUsers.BOB).get(path).status()).isEqualTo(403);
        assertThat(as(DemoUsers.BOB).get(path + "/history").status()).isEqualTo(403);
        assertThat(Api.anonymous(port).get(path).status()).isEqualTo(401);
        assertThat(as(DemoUsers.ADMIN).get("/api/transactions/" + UUID.randomUUID()).status()).isEqualTo(404);
    }

    @Test
    void shouldListAPatientsOwnAndAFacilitysTransactionsNewestFirst() {
        UUID paid = paidCheckout();
        UUID first = idOf(openCheckout());
        UUID second = idOf(openCheckout());

        JsonNode mine = as(DemoUsers.PAT_ONE).get("/api/patients/me/transactions?size=200").body();
        assertThat(mine.path("items").findValuesAsText("transactionId")).contains(first.toString(), second.toString());
        assertThat(as(DemoUsers.PAT_TWO).get("/api/patients/me/transactions").body().path("items")
                .findValuesAsText("transactionId")).doesNotContain(first.toString());

        JsonNode facility = as(DemoUsers.ALICE).get("/api/facilities/" + DemoUsers.RIVERSIDE + "/transactions?size=2").body();
        assertThat(facility.path("items").get(0).path("transactionId").asText()).isEqualTo(second.toString());
        assertThat(facility.path("items").get(1).path("transactionId").asText()).isEqualTo(first.toString());
        assertThat(facility.path("totalItems").asLong()).isGreaterThanOrEqualTo(2);
        JsonNode paidOnes = as(DemoUsers.ADMIN).get("/api/facilities/" + DemoUsers.RIVERSIDE
                + "/transactions?status=PAID&size=200").body();
        assertThat(paidOnes.path("items").findValuesAsText("transactionId")).contains(paid.toString())
                .doesNotContain(first.toString(), second.toString());
        assertThat(paidOnes.path("items")).allSatisfy(item -> assertThat(item.path("status").asText())
                .as("the transaction's own status, not its refunds'").isEqualTo("PAID"));

        assertThat(as(DemoUsers.BOB).get("/api/facilities/" + DemoUsers.RIVERSIDE + "/transactions").status()).isEqualTo(403);
        assertThat(as(DemoUsers.PAT_ONE).get("/api/facilities/" + DemoUsers.RIVERSIDE + "/transactions").status())
                .isEqualTo(403);
        assertThat(as(DemoUsers.ALICE).get("/api/facilities/" + DemoUsers.RIVERSIDE + "/transactions?size=201").status())
                .isEqualTo(400);
    }

    @Test
    void shouldShowEveryEventOfTheHistoryWithWhoCausedIt() {
        UUID id = idOf(openCheckout());

        JsonNode entries = as(DemoUsers.PAT_ONE).get("/api/transactions/" + id + "/history").body().path("entries");

        assertThat(entries).hasSize(2);
        assertThat(entries.get(0).path("type").asText()).isEqualTo("TransactionInitiated");
        assertThat(entries.get(0).path("actorId").asText()).isEqualTo(DemoUsers.ALICE_ID.toString());
        assertThat(entries.get(0).path("actorRole").asText()).isEqualTo("DOCTOR");
        assertThat(entries.get(0).path("changes").findValuesAsText("field")).contains("patientName", "totalAmount");
        assertThat(entries.get(1).path("type").asText()).isEqualTo("CheckoutOpened");
    }
}
