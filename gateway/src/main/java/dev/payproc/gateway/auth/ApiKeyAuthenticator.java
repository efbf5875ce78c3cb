package dev.payproc.gateway.auth;

import dev.payproc.settlement.MerchantDirectory;
import io.vertx.core.Future;

import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Resolves {@code Authorization: Bearer <key>} to a merchant. Known keys are cached for a short time so
 * the hot path needs no database round trip; a revoked key stops working within that time. Unknown keys
 * are never cached, so the cache cannot be filled by guessing.
 */
public final class ApiKeyAuthenticator {
    private static final long TTL_NANOS = 30_000_000_000L;
    private static final int MAX_CACHED = 100_000;

    private record Cached(String merchantId, long expiresAtNanos) {}

    private final MerchantDirectory directory;
    private final Map<ByteBuffer, Cached> cache = new ConcurrentHashMap<>();

    public ApiKeyAuthenticator(MerchantDirectory directory) {
        this.directory = directory;
    }

    /** The bearer token of an {@code Authorization} header, or null when there is none. */
    public static String bearer(String header) {
        if (header == null || header.length() < 8 || !header.regionMatches(true, 0, "Bearer ", 0, 7)) return null;
        String key = header.substring(7).trim();
        return key.isEmpty() || key.length() > 256 ? null : key;
    }

    /** The merchant the key belongs to, or null for an unknown or revoked key. */
    public Future<String> merchantFor(String apiKey) {
        ByteBuffer hash = ByteBuffer.wrap(MerchantDirectory.hashKey(apiKey));
        Cached hit = cache.get(hash);
        long now = System.nanoTime();
        if (hit != null && now - hit.expiresAtNanos < 0) return Future.succeededFuture(hit.merchantId);
        return directory.merchantForKey(hash.array()).map(merchant -> {
            if (merchant == null) {
                cache.remove(hash);
            } else {
                if (cache.size() >= MAX_CACHED) cache.clear();
                cache.put(hash, new Cached(merchant, System.nanoTime() + TTL_NANOS));
            }
            return merchant;
        });
    }
}
