package dev.payproc.core.card;

import dev.payproc.core.audit.AuditKey;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * The secrets that protect card data: {@code hmacKey} derives fingerprints and tokens, {@code encryptionKey}
 * (AES-256) encrypts the PAN for clearing under the id {@code encryptionKeyId}, stored beside each ciphertext
 * so keys can rotate: {@code retiredKeys} (id to key) still decrypt what older keys encrypted.
 */
public record CardKeys(byte[] hmacKey, String encryptionKeyId, byte[] encryptionKey, Map<String, byte[]> retiredKeys) {
    public CardKeys {
        if (hmacKey.length < 32) throw new IllegalArgumentException("the card HMAC key needs at least 32 bytes");
        if (encryptionKey.length != 32)
            throw new IllegalArgumentException("the card encryption key must be 32 bytes (AES-256)");
        for (Map.Entry<String, byte[]> k : retiredKeys.entrySet()) {
            if (k.getValue().length != 32)
                throw new IllegalArgumentException("retired card key " + k.getKey() + " must be 32 bytes");
            if (k.getKey().equals(encryptionKeyId))
                throw new IllegalArgumentException("key id " + k.getKey() + " is both current and retired");
        }
        hmacKey = hmacKey.clone();
        encryptionKey = encryptionKey.clone();
        retiredKeys = Map.copyOf(retiredKeys);
    }

    public CardKeys(byte[] hmacKey, String encryptionKeyId, byte[] encryptionKey) {
        this(hmacKey, encryptionKeyId, encryptionKey, Map.of());
    }

    /**
     * A check value per encryption key id, current and retired: HMAC-SHA256 of the key over a fixed text. Stored, it
     * shows whether a key given under an id is the one that id was first used with, without revealing the key.
     */
    public Map<String, byte[]> checkValues() {
        Map<String, byte[]> checks = new HashMap<>();
        checks.put(encryptionKeyId, checkValue(encryptionKey));
        retiredKeys.forEach((id, key) -> checks.put(id, checkValue(key)));
        return checks;
    }

    /**
     * The check value of the HMAC key (over a text of its own, so it never equals an encryption key's): stored, it
     * shows whether a later start is given the key every stored token and fingerprint was derived with.
     */
    public byte[] hmacCheckValue() {
        return hmacCheckValue(hmacKey);
    }

    /** {@link #hmacCheckValue()} of any HMAC key: that of {@code CARD_PREVIOUS_HMAC_KEY}, to rotate from it. */
    public static byte[] hmacCheckValue(byte[] hmacKey) {
        return checkValue(hmacKey, "payproc card hmac key check");
    }

    /** Every encryption key id this configuration can decrypt: the current one and the retired ones. */
    public java.util.Set<String> keyIds() {
        java.util.Set<String> ids = new java.util.TreeSet<>(retiredKeys.keySet());
        ids.add(encryptionKeyId);
        return ids;
    }

    private static byte[] checkValue(byte[] key) {
        return checkValue(key, "payproc key check");
    }

    private static byte[] checkValue(byte[] key, String text) {
        return AuditKey.mac(key, text.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public byte[] hmacKey() {
        return hmacKey.clone();
    }

    @Override
    public byte[] encryptionKey() {
        return encryptionKey.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CardKeys k
                && Arrays.equals(hmacKey, k.hmacKey)
                && encryptionKeyId.equals(k.encryptionKeyId)
                && Arrays.equals(encryptionKey, k.encryptionKey);
    }

    @Override
    public int hashCode() {
        return encryptionKeyId.hashCode();
    }

    @Override
    public String toString() {
        return "CardKeys[encryptionKeyId=" + encryptionKeyId + ", retired=" + retiredKeys.keySet() + ", keys redacted]";
    }
}
