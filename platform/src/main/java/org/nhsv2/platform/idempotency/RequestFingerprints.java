package org.nhsv2.platform.idempotency;

import org.nhsv2.platform.time.UtcInstantSerializer;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.util.HexFormat;

/**
 * An HMAC-SHA256 of what a request asks for, keyed with a service secret: a stored fingerprint holds no
 * personal data, not even hashed in a way that a guess could be checked against.
 */
public class RequestFingerprints {

    private static final String HMAC = "HmacSHA256";

    /**
     * Keyed once and never used itself: each fingerprint is computed on a clone, which costs neither the provider
     * lookup of {@code Mac.getInstance} nor the key's set-up (together a quarter of an idempotent request's checks).
     */
    private final Mac keyed;

    public RequestFingerprints(IdempotencySettings settings) {
        try {
            this.keyed = Mac.getInstance(HMAC);
            keyed.init(new SecretKeySpec(settings.fingerprintSecret().getBytes(StandardCharsets.UTF_8), HMAC));
            keyed.clone(); // a provider whose Mac cannot be cloned fails here, at start-up
        } catch (GeneralSecurityException | CloneNotSupportedException e) {
            throw new IllegalStateException("cannot fingerprint requests with " + HMAC, e);
        }
    }

    /**
     * Each value length-prefixed (a missing one is "-"), so no two different lists of values share an
     * input; give every value the request asks for, and nothing the service chose.
     */
    public String of(Object... values) {
        StringBuilder canonical = new StringBuilder();
        for (Object value : values) {
            String text = value == null ? null
                    : value instanceof Instant instant ? UtcInstantSerializer.format(instant) : value.toString();
            canonical.append(text == null ? "-" : text.length() + ":" + text).append(';');
        }
        try {
            Mac mac = (Mac) keyed.clone();
            return HexFormat.of().formatHex(mac.doFinal(canonical.toString().getBytes(StandardCharsets.UTF_8)));
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException("cannot fingerprint a request", e);
        }
    }
}
