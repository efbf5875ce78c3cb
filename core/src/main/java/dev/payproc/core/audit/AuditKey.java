package dev.payproc.core.audit;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The key behind the tamper-evident chains ({@code AUDIT_HMAC_KEY}): seals over money-moving rows and the admin
 * audit are HMAC-SHA256 links, so someone who can write the database but does not hold this key cannot rebuild a
 * chain after editing it. It lives outside the database; only keys derived from it for one purpose, or one seal,
 * ever travel to it.
 */
public record AuditKey(byte[] key) {
    public static final int LENGTH = 32;

    public AuditKey {
        if (key.length != LENGTH) throw new IllegalArgumentException("the audit key must be " + LENGTH + " bytes");
        key = key.clone();
    }

    /** HMAC-SHA256 of {@code message} under this key. */
    public byte[] mac(byte[] message) {
        return mac(key, message);
    }

    /** A key for one purpose (a chain, a seal), derived as HMAC-SHA256 of its name: it reveals nothing of this key. */
    public byte[] derive(String purpose) {
        return mac(purpose.getBytes(StandardCharsets.UTF_8));
    }

    /** HMAC-SHA256 of {@code message} under {@code key}. */
    public static byte[] mac(byte[] key, byte[] message) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(message);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK lacks HmacSHA256", e);
        }
    }

    /** Shows whether a key given later is this one, without revealing it (stored beside the chains it keys). */
    public byte[] checkValue() {
        return derive("payproc audit key check");
    }

    @Override
    public byte[] key() {
        return key.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AuditKey k && Arrays.equals(key, k.key);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(key);
    }

    @Override
    public String toString() {
        return "AuditKey[redacted]";
    }
}
