package dev.payproc.gateway.auth;

import dev.payproc.core.card.Sha256;
import java.security.MessageDigest;
import java.util.function.LongSupplier;

/**
 * Admin endpoints take their own key ({@code ADMIN_API_KEY}); without one configured they are closed. Wrong keys count
 * against the caller's address as wrong terminal keys do ({@link AuthFailures}): past the limit it is refused without a
 * comparison until the window ends, so the key cannot be guessed at line rate.
 */
public final class AdminGuard {
    /** What a presented admin key gets: in, out, or refused unasked ({@code retryAfterSeconds} then). */
    public record Verdict(boolean allowed, boolean throttled, long retryAfterSeconds) {
        static final Verdict ALLOWED = new Verdict(true, false, 0);
        static final Verdict REFUSED = new Verdict(false, false, 0);
    }

    private final byte[] adminKeyHash;
    private final AuthFailures failures;

    public AdminGuard(String adminKey) {
        this(adminKey, System::nanoTime);
    }

    AdminGuard(String adminKey, LongSupplier nanoClock) {
        this.adminKeyHash = adminKey == null ? null : Sha256.of(adminKey);
        this.failures = new AuthFailures(nanoClock);
    }

    /**
     * Compares hashes with {@link MessageDigest#isEqual}: constant time over equal lengths, so neither the key nor its
     * length can be learned from response timing.
     */
    public Verdict check(String authorizationHeader, String address) {
        String presented = ApiKeyAuthenticator.bearer(authorizationHeader);
        if (adminKeyHash == null || presented == null) return Verdict.REFUSED; // no key is no guess, as for terminals
        if (failures.throttled(address)) return new Verdict(false, true, failures.retryAfterSeconds(address));
        if (MessageDigest.isEqual(adminKeyHash, Sha256.of(presented))) return Verdict.ALLOWED;
        failures.failed(address);
        return Verdict.REFUSED;
    }

    public boolean enabled() {
        return adminKeyHash != null;
    }
}
