package org.nhsv2.e2e;

import org.nhsv2.platform.testing.Api;

import java.net.URI;

/** The platform as its users reach it: the gateway's one public address, nothing else. */
final class Platform {

    /** Where script/server puts the gateway; NHSV2_E2E_GATEWAY_URL points the journey elsewhere. */
    static final URI GATEWAY = URI.create(System.getenv().getOrDefault("NHSV2_E2E_GATEWAY_URL", "http://localhost:8080"));

    private Platform() {
    }

    /** The gateway, called with a real token of this demo user (password grant at the realm). */
    static Api as(String username) {
        if (!"localhost".equals(GATEWAY.getHost())) {
            throw new IllegalStateException("the journey's client speaks to localhost only, not " + GATEWAY);
        }
        return Api.as(GATEWAY.getPort(), username);
    }

    static Api anonymous() {
        return Api.anonymous(GATEWAY.getPort());
    }
}
