package dev.payproc.webhooks;

import dev.payproc.core.audit.AuditKey;
import dev.payproc.core.card.CardKeys;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Endpoint secrets: {@code whsec_} and 32 random bytes (base64url), stored only as AES-256-GCM ciphertext (IV first)
 * under a key derived from the card encryption key of the same id (HMAC-SHA256 of it over a purpose text, so a
 * ciphertext of one kind never opens as the other), bound to its endpoint's id as associated data.
 */
public final class WebhookSecrets {
    private static final int IV_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final byte[] PURPOSE = "payproc webhook secret key".getBytes(StandardCharsets.US_ASCII);

    /** A stored secret: its ciphertext and the id of the key it is under. */
    public record Sealed(byte[] ciphertext, String keyId) {}

    private final SecureRandom random = new SecureRandom();
    private final String keyId;
    private final Map<String, SecretKeySpec> keys = new HashMap<>();

    public WebhookSecrets(CardKeys cardKeys) {
        keyId = cardKeys.encryptionKeyId();
        keys.put(keyId, derive(cardKeys.encryptionKey()));
        cardKeys.retiredKeys().forEach((id, key) -> keys.put(id, derive(key)));
    }

    private static SecretKeySpec derive(byte[] key) {
        return new SecretKeySpec(AuditKey.mac(key, PURPOSE), "AES");
    }

    public String generate() {
        byte[] b = new byte[32];
        synchronized (random) {
            random.nextBytes(b);
        }
        return "whsec_" + Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    public Sealed seal(String endpointId, String secret) {
        byte[] out = new byte[IV_BYTES + secret.length() + TAG_BITS / 8];
        synchronized (random) {
            random.nextBytes(out);
        }
        try {
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.ENCRYPT_MODE, keys.get(keyId), new GCMParameterSpec(TAG_BITS, out, 0, IV_BYTES));
            c.updateAAD(endpointId.getBytes(StandardCharsets.UTF_8));
            c.doFinal(secret.getBytes(StandardCharsets.US_ASCII), 0, secret.length(), out, IV_BYTES);
            return new Sealed(out, keyId);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM encryption failed", e);
        }
    }

    /** The secret; thrown without any of it when the key id is unknown or the ciphertext does not open. */
    public String open(String endpointId, Sealed sealed) {
        SecretKeySpec key = keys.get(sealed.keyId());
        if (key == null) throw new IllegalStateException("no key " + sealed.keyId() + " to open the endpoint's secret");
        try {
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            byte[] ct = sealed.ciphertext();
            c.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, ct, 0, IV_BYTES));
            c.updateAAD(endpointId.getBytes(StandardCharsets.UTF_8));
            return new String(c.doFinal(ct, IV_BYTES, ct.length - IV_BYTES), StandardCharsets.US_ASCII);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the endpoint's secret does not open under key " + sealed.keyId());
        }
    }
}
