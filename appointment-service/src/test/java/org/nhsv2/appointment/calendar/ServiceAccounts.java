package org.nhsv2.appointment.calendar;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.nio.charset.StandardCharsets;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Map;

/** A Google service account's JSON key of the test's own making, whose tokens come from {@code tokenUri}. */
final class ServiceAccounts {

    private ServiceAccounts() {
    }

    static String key(String tokenUri) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            String pem = "-----BEGIN PRIVATE KEY-----\n"
                    + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                    .encodeToString(generator.generateKeyPair().getPrivate().getEncoded())
                    + "\n-----END PRIVATE KEY-----\n";
            return new ObjectMapper().writeValueAsString(Map.of("type", "service_account", "project_id", "nhsv2-test",
                    "private_key_id", "test-key", "private_key", pem,
                    "client_email", "calendar@nhsv2-test.iam.gserviceaccount.com", "client_id", "1", "token_uri", tokenUri));
        } catch (NoSuchAlgorithmException | JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
