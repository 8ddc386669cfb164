package org.nhsv2.platform.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** A plain HTTP client for integration tests, with tokens from the real Keycloak realm. */
public final class Api {

    public static final String PASSWORD = "fake-local-password";
    private static final String TOKEN_URL = System.getenv().getOrDefault("NHSV2_TEST_TOKEN_URL",
            "http://localhost:8180/realms/nhsv2/protocol/openid-connect/token");
    private static final Map<String, String> TOKENS = new ConcurrentHashMap<>();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final ObjectMapper JSON = new ObjectMapper().findAndRegisterModules();

    private final String baseUrl;
    private final String token;

    private Api(String baseUrl, String token) {
        this.baseUrl = baseUrl;
        this.token = token;
    }

    public static Api as(int port, String username) {
        return new Api("http://localhost:" + port, tokenOf(username));
    }

    /** The user's access token from the realm, fetched once per test run. */
    public static String tokenOf(String username) {
        return TOKENS.computeIfAbsent(username, Api::passwordGrant);
    }

    /** With a token the test made itself (see {@link RealmTokens}), or none when {@code token} is null. */
    public static Api withToken(int port, String token) {
        return new Api("http://localhost:" + port, token);
    }

    public static Api anonymous(int port) {
        return new Api("http://localhost:" + port, null);
    }

    public record Response(int status, Map<String, List<String>> headers, JsonNode body) {
        public Optional<String> header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .flatMap(e -> e.getValue().stream()).findFirst();
        }

        public String text(String field) {
            return body.path(field).asText();
        }
    }

    public Response get(String path) {
        return send(request(path).GET());
    }

    public Response delete(String path) {
        return send(request(path).DELETE());
    }

    /** Any method, with a JSON body when one is given. */
    public Response send(String method, String path, Object body) {
        return send(method, path, body, Map.of());
    }

    /** Any method, with the given headers and a JSON body when one is given. */
    public Response send(String method, String path, Object body, Map<String, String> headers) {
        HttpRequest.Builder request = request(path);
        if (body == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(json(body)));
        }
        headers.forEach(request::header);
        return send(request);
    }

    public Response post(String path, Object body) {
        return post(path, body, Map.of());
    }

    public Response post(String path, Object body, Map<String, String> headers) {
        HttpRequest.Builder request = request(path)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body == null ? "" : json(body)));
        headers.forEach(request::header);
        return send(request);
    }

    private HttpRequest.Builder request(String path) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(Duration.ofSeconds(30));
        if (token != null) {
            builder.header("Authorization", "Bearer " + token);
        }
        return builder;
    }

    private static Response send(HttpRequest.Builder request) {
        try {
            HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
            boolean json = response.headers().firstValue("Content-Type").orElse("").contains("json");
            JsonNode body = response.body().isEmpty() ? JSON.nullNode()
                    : json ? JSON.readTree(response.body()) : JSON.getNodeFactory().textNode(response.body());
            return new Response(response.statusCode(), response.headers().map(), body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String json(Object body) {
        try {
            return body instanceof String text ? text : JSON.writeValueAsString(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String passwordGrant(String username) {
        String form = "grant_type=password&client_id=nhsv2-cli&username=" + URLEncoder.encode(username, StandardCharsets.UTF_8)
                + "&password=" + URLEncoder.encode(PASSWORD, StandardCharsets.UTF_8);
        HttpRequest request = HttpRequest.newBuilder(URI.create(TOKEN_URL))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build();
        Response response = send(HttpRequest.newBuilder(request, (name, value) -> true));
        if (response.status() != 200) {
            throw new IllegalStateException("Keycloak refused a token for " + username + ": " + response.body()
                    + " (is Keycloak running? script/test starts it)");
        }
        return response.text("access_token");
    }
}
