package org.nhsv2.gateway.web;

import org.junit.jupiter.api.Test;
import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import reactor.core.publisher.Mono;

import java.net.InetSocketAddress;
import java.security.Principal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

class UserRateLimitFilterTest {

    private final RateLimits limits = mock(RateLimits.class);
    private final UserRateLimitFilter filter = new UserRateLimitFilter(limits);

    @Test
    void shouldKeyATokenBySubject() {
        filter(exchange(() -> "6f1c0c6e-0000-4000-8000-000000000001"));

        verify(limits).isAllowed(RateLimits.PER_CALLER, "user:6f1c0c6e-0000-4000-8000-000000000001");
    }

    /** A realm's client scopes may leave {@code sub} out: such a token names no user, and was a 500. */
    @Test
    void shouldKeyATokenWithoutASubjectByTheCallersAddress() {
        boolean passed = filter(exchange(() -> null));

        assertThat(passed).isTrue();
        verify(limits).isAllowed(RateLimits.PER_CALLER, "ip:203.0.113.7");
    }

    private boolean filter(MockServerWebExchange exchange) {
        when(limits.isAllowed(anyString(), anyString())).thenReturn(Mono.just(true));
        boolean[] passed = {false};
        GatewayFilterChain chain = passedOn -> Mono.fromRunnable(() -> passed[0] = true);
        filter.filter(exchange, chain).block();
        return passed[0];
    }

    private static MockServerWebExchange exchange(Principal principal) {
        return MockServerWebExchange.builder(MockServerHttpRequest.get("/api/appointments")
                .remoteAddress(new InetSocketAddress("203.0.113.7", 50_000))).principal(principal).build();
    }
}
