package dev.payproc.gateway.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/** Admin endpoints take their own key ({@code ADMIN_API_KEY}); without one configured they are closed. */
public final class AdminGuard {
    private final byte[] adminKey;

    public AdminGuard(String adminKey) {
        this.adminKey = adminKey == null ? null : adminKey.getBytes(StandardCharsets.UTF_8);
    }

    /** Constant-time comparison, so the key cannot be guessed from response timing. */
    public boolean allows(String authorizationHeader) {
        String presented = ApiKeyAuthenticator.bearer(authorizationHeader);
        return adminKey != null
                && presented != null
                && MessageDigest.isEqual(adminKey, presented.getBytes(StandardCharsets.UTF_8));
    }

    public boolean enabled() {
        return adminKey != null;
    }
}
