package dev.payproc.core.auth;

import dev.payproc.core.card.Sha256;
import java.security.SecureRandom;
import java.util.Base64;

/** Terminal API keys: how they are made and how they are stored (only their hash). */
public final class ApiKeys {
    private static final SecureRandom RANDOM = new SecureRandom();

    private ApiKeys() {}

    /** SHA-256 of a key: API keys are long random secrets, so a fast unsalted hash is enough to store them. */
    public static byte[] hash(String apiKey) {
        return Sha256.of(apiKey);
    }

    /** A fresh key: {@code sk_} and 32 random bytes, base64url. */
    public static String newApiKey() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return "sk_" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
