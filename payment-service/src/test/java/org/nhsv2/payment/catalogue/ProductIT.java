package org.nhsv2.payment.catalogue;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.nhsv2.payment.PaymentIntegrationTest;
import org.nhsv2.platform.testing.Api;
import org.nhsv2.platform.testing.DemoUsers;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** The catalogue over HTTP: everyone signed in reads it, admins change it, transactions keep their snapshot. */
class ProductIT extends PaymentIntegrationTest {

    @Test
    void shouldListActiveProductsInBothCurrenciesToAnyoneSignedIn() {
        JsonNode products = as(DemoUsers.PAT_ONE).get("/api/products").body();

        assertThat(products.findValuesAsText("currency")).contains("GBP", "EUR");
        assertThat(products.findValuesAsText("productId")).doesNotContain(DISCONTINUED_GBP.toString());
        assertThat(as(DemoUsers.ADMIN).get("/api/products?includeInactive=true").body().findValuesAsText("productId"))
                .contains(DISCONTINUED_GBP.toString());
        assertThat(Api.anonymous(port).get("/api/products").status()).isEqualTo(401);
    }

    @Test
    void shouldLetAnAdminCreateAndChangeAProductWithoutChangingTransactionsMadeBefore() {
        Api admin = as(DemoUsers.ADMIN);
        Api.Response created = admin.post("/api/products", Map.of("name", "Flu vaccination", "unitAmount", 1800,
                "currency", "GBP"));
        assertThat(created.status()).as(created.body().toString()).isEqualTo(201);
        UUID productId = UUID.fromString(created.text("productId"));
        JsonNode transaction = as(DemoUsers.ALICE).post("/api/checkouts", checkout(DemoUsers.RIVERSIDE,
                DemoUsers.PAT_ONE_ID, List.of(item(productId, 2)))).body();

        Api.Response changed = admin.send("PATCH", "/api/products/" + productId, Map.of("unitAmount", 2100,
                "name", "Flu vaccination (2026)", "reason", "New season's vaccine price"));

        assertThat(changed.status()).isEqualTo(200);
        assertThat(changed.body().path("unitAmount").asLong()).isEqualTo(2100);
        assertThat(changed.text("currency")).isEqualTo("GBP");
        JsonNode stored = as(DemoUsers.ALICE).get("/api/transactions/" + idOf(transaction)).body();
        assertThat(stored.path("totalAmount").asLong()).isEqualTo(3600);
        assertThat(stored.path("items").get(0).path("name").asText()).isEqualTo("Flu vaccination");
        assertThat(admin.send("PATCH", "/api/products/" + productId, Map.of("active", false, "reason", "Season over"))
                .status()).isEqualTo(200);
        assertThat(as(DemoUsers.ALICE).post("/api/checkouts", checkout(DemoUsers.RIVERSIDE, DemoUsers.PAT_ONE_ID,
                List.of(item(productId, 1)))).text("code")).isEqualTo("inactive-product");
    }

    @Test
    void shouldRecordWhoChangedAProductAndWhyAndRefuseAChangeWithoutAReason() {
        Api admin = as(DemoUsers.ADMIN);
        UUID productId = UUID.fromString(admin.post("/api/products", Map.of("name", "Travel vaccination",
                "unitAmount", 4500, "currency", "GBP")).text("productId"));

        Api.Response unexplained = admin.send("PATCH", "/api/products/" + productId, Map.of("unitAmount", 100));
        assertThat(unexplained.status()).isEqualTo(400);
        assertThat(unexplained.text("code")).isEqualTo("invalid-request");
        assertThat(admin.send("PATCH", "/api/products/" + productId, Map.of("unitAmount", 100, "reason", " ")).status())
                .isEqualTo(400);
        assertThat(as(DemoUsers.ALICE).get("/api/products/" + productId).body().path("unitAmount").asLong())
                .as("unchanged").isEqualTo(4500);

        assertThat(admin.send("PATCH", "/api/products/" + productId, Map.of("unitAmount", 5000,
                "reason", "Supplier raised the price")).status()).isEqualTo(200);

        Map<String, Object> recorded = jdbc.queryForMap("select convert_from(payload, 'UTF8') as payload,"
                + " convert_from(meta_data, 'UTF8') as meta_data from domain_event_entry"
                + " where payload_type like '%ProductChangedEvent' and convert_from(payload, 'UTF8') like ?",
                "%" + productId + "%");
        assertThat((String) recorded.get("payload")).contains("\"previousUnitAmount\":4500", "\"unitAmount\":5000",
                "\"reason\":\"Supplier raised the price\"");
        assertThat((String) recorded.get("meta_data")).contains(DemoUsers.ADMIN_ID.toString());
    }

    @Test
    void shouldValidateProductsAndKeepChangesToAdmins() {
        Api admin = as(DemoUsers.ADMIN);
        assertThat(admin.post("/api/products", Map.of("name", "X", "unitAmount", 0, "currency", "GBP")).status()).isEqualTo(400);
        assertThat(admin.post("/api/products", Map.of("name", "X", "unitAmount", 10, "currency", "JPY")).status()).isEqualTo(400);
        assertThat(admin.post("/api/products", Map.of("name", " ", "unitAmount", 10, "currency", "GBP")).status()).isEqualTo(400);
        assertThat(admin.send("PATCH", "/api/products/" + UUID.randomUUID(), Map.of("unitAmount", 5, "reason", "Typo"))
                .status()).isEqualTo(404);
        assertThat(admin.send("PATCH", "/api/products/" + CONSULTATION_GBP, Map.of("currency", "EUR", "reason", "Typo"))
                .status()).isEqualTo(400);
        assertThat(as(DemoUsers.ALICE).post("/api/products", Map.of("name", "X", "unitAmount", 10, "currency", "GBP"))
                .status()).isEqualTo(403);
        assertThat(as(DemoUsers.ALICE).send("PATCH", "/api/products/" + CONSULTATION_GBP, Map.of("unitAmount", 1,
                "reason", "Cheaper")).status()).isEqualTo(403);
        assertThat(as(DemoUsers.PAT_ONE).get("/api/products/" + CONSULTATION_GBP).text("name")).isEqualTo("GP consultation fee");
    }
}
