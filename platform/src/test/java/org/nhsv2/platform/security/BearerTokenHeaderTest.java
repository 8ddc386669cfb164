package org.nhsv2.platform.security;

import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.server.resource.web.BearerTokenResolver;
import org.springframework.security.oauth2.server.resource.web.DefaultBearerTokenResolver;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class BearerTokenHeaderTest {

    private final BearerTokenResolver spring = new DefaultBearerTokenResolver();
    private final BearerTokenResolver header = new BearerTokenHeader();

    @Test
    void shouldFindTheTokenWhereSpringSecurityDoes() {
        assertThat(answer(header, "Bearer eyJhbGciOi.eyJzdWIi.c2ln-_~+/==")).isEqualTo("eyJhbGciOi.eyJzdWIi.c2ln-_~+/==");
        assertThat(answer(header, "bEARER abc")).isEqualTo("abc");
        assertThat(answer(header, null)).isEqualTo("none");
        assertThat(answer(header, "Basic dXNlcjpwYXNz")).isEqualTo("none");
        assertThat(answer(header, "Bearer abc def")).isEqualTo("401 invalid_token: Bearer token is malformed");
    }

    @Test
    void shouldAnswerAsSpringSecurityForEveryEdgeAndForGeneratedHeaders() {
        List<String> headers = new ArrayList<>(List.of("", "Bearer", "Bearer ", "Bearer  abc", "Bearerabc", "Bearer =",
                "Bearer abc=", "Bearer abc=d", "Bearer a==b", "Bearer abc\n", "Bearer\tabc", "bearer abc", "BEARER ABC",
                "Bearer ab%c", "Bearer ab\u00e9", "\u0392earer abc", "Be\u0430rer abc", "B\u212Aarer abc", "Bearer \u0000",
                "Bearer a b", "Bearer abc ", " Bearer abc", "DPoP abc", "Bearer ~", "Bearer +/", "Bearer a.b.c"));
        Random random = new Random(20261128);
        String alphabet = "Bbearer =aZ09-._~+/%\u00e9\t";
        for (int i = 0; i < 20_000; i++) {
            StringBuilder generated = new StringBuilder(random.nextBoolean() ? "Bearer " : "");
            int length = random.nextInt(12);
            for (int c = 0; c < length; c++) {
                generated.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            headers.add(generated.toString());
        }
        for (String value : headers) {
            assertThat(answer(header, value)).as(value).isEqualTo(answer(spring, value));
        }
    }

    private static String answer(BearerTokenResolver resolver, String authorization) {
        MockHttpServletRequest request = new MockHttpServletRequest("GET", "/api/appointments");
        if (authorization != null) {
            request.addHeader("Authorization", authorization);
        }
        try {
            String token = resolver.resolve(request);
            return token == null ? "none" : token;
        } catch (OAuth2AuthenticationException e) {
            return "401 " + e.getError().getErrorCode() + ": " + e.getError().getDescription();
        }
    }
}
