package org.nhsv2.gateway;

import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Real access tokens from the local Keycloak realm (password grant of the demo users), one per user per run. */
final class Tokens {

    static final String PATIENT = "pat.one";
    static final String DOCTOR = "alice.doctor";
    private static final String PASSWORD = "fake-local-password";
    private static final String TOKEN_URL = System.getenv().getOrDefault("NHSV2_TEST_TOKEN_URL",
            "http://localhost:8180/realms/nhsv2/protocol/openid-connect/token");
    private static final Map<String, String> TOKENS = new ConcurrentHashMap<>();

    private Tokens() {
    }

    static String of(String username) {
        return TOKENS.computeIfAbsent(username, Tokens::passwordGrant);
    }

    private static String passwordGrant(String username) {
        String form = "grant_type=password&client_id=nhsv2-cli&username=" + URLEncoder.encode(username, StandardCharsets.UTF_8)
                + "&password=" + URLEncoder.encode(PASSWORD, StandardCharsets.UTF_8);
        try {
            HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(TOKEN_URL))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("Keycloak refused a token for " + username + ": " + response.body()
                        + " (is Keycloak running? script/test starts it)");
            }
            return new ObjectMapper().readTree(response.body()).path("access_token").asText();
        } catch (IOException e) {
            throw new IllegalStateException("Keycloak not reachable at " + TOKEN_URL, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
