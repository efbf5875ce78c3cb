package dev.payproc.gateway.auth;

import dev.payproc.core.card.Sha256;
import java.security.MessageDigest;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Admin endpoints take their own keys ({@code ADMIN_API_KEY}, and the named keys of {@code ADMIN_API_KEYS}); without
 * one configured they are closed. A key that matches names who acts: that name is the actor every audit entry of the
 * request records (never a header the caller chose). Wrong keys count against the caller's address as wrong terminal
 * keys do ({@link AuthFailures}): past the limit it is refused without a comparison until the window ends, so a key
 * cannot be guessed at line rate.
 */
public final class AdminGuard {
    /** What a presented admin key gets: in (as {@code actor}), out, or refused unasked ({@code retryAfterSeconds}). */
    public record Verdict(boolean allowed, boolean throttled, long retryAfterSeconds, String actor) {
        static final Verdict REFUSED = new Verdict(false, false, 0, null);

        static Verdict allowed(String actor) {
            return new Verdict(true, false, 0, actor);
        }
    }

    private final String[] names;
    private final byte[][] keyHashes;
    private final AuthFailures failures;

    /** One unnamed key, recorded as {@code admin} (or none: closed). */
    public AdminGuard(String adminKey) {
        this(adminKey == null ? Map.of() : Map.of("admin", adminKey));
    }

    /** Keys by the name recorded for each (none: closed). */
    public AdminGuard(Map<String, String> keysByName) {
        this(keysByName, System::nanoTime);
    }

    AdminGuard(String adminKey, LongSupplier nanoClock) {
        this(adminKey == null ? Map.of() : Map.of("admin", adminKey), nanoClock);
    }

    AdminGuard(Map<String, String> keysByName, LongSupplier nanoClock) {
        this.names = new String[keysByName.size()];
        this.keyHashes = new byte[keysByName.size()][];
        int i = 0;
        for (Map.Entry<String, String> e : keysByName.entrySet()) {
            names[i] = e.getKey();
            keyHashes[i++] = Sha256.of(e.getValue());
        }
        this.failures = new AuthFailures(nanoClock);
    }

    /**
     * Compares hashes with {@link MessageDigest#isEqual}: constant time over equal lengths, so neither a key nor its
     * length can be learned from response timing; every key is compared, whichever matches, so the timing does not
     * tell which one did either.
     */
    public Verdict check(String authorizationHeader, String address) {
        String presented = ApiKeyAuthenticator.bearer(authorizationHeader);
        if (keyHashes.length == 0 || presented == null) return Verdict.REFUSED; // no key is no guess, as for terminals
        if (failures.throttled(address)) return new Verdict(false, true, failures.retryAfterSeconds(address), null);
        byte[] hash = Sha256.of(presented);
        int match = -1;
        for (int i = 0; i < keyHashes.length; i++) {
            boolean equal = MessageDigest.isEqual(keyHashes[i], hash);
            match = equal ? i : match;
        }
        if (match >= 0) return Verdict.allowed(names[match]);
        failures.failed(address);
        return Verdict.REFUSED;
    }

    public boolean enabled() {
        return keyHashes.length > 0;
    }
}
