package dev.payproc.gateway.auth;

import dev.payproc.core.auth.ApiKeys;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;

import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Resolves {@code Authorization: Bearer <key>} to a merchant. Known keys are cached for a short time so
 * the hot path needs no database round trip; a revoked key stops working within that time. Unknown keys
 * are never cached, so the cache cannot be filled by guessing. Lookups are single-flight: when a key's entry
 * is missing or expires under load, one database query serves every request that asks meanwhile, instead of
 * a stampede of identical queries queueing for the read pool.
 */
public final class ApiKeyAuthenticator {
    private static final long TTL_NANOS = 30_000_000_000L;
    private static final int MAX_CACHED = 100_000;

    private record Cached(String merchantId, long expiresAtNanos) {}

    /** The merchant of a key's SHA-256 hash, or null (Merchants::merchantForKey). */
    private final Function<byte[], Future<String>> lookup;
    private final Map<ByteBuffer, Cached> cache = new ConcurrentHashMap<>();
    private final Map<ByteBuffer, Future<String>> lookups = new ConcurrentHashMap<>();

    public ApiKeyAuthenticator(Function<byte[], Future<String>> lookup) {
        this.lookup = lookup;
    }

    /** The bearer token of an {@code Authorization} header, or null when there is none. */
    public static String bearer(String header) {
        if (header == null || header.length() < 8 || !header.regionMatches(true, 0, "Bearer ", 0, 7)) return null;
        String key = header.substring(7).trim();
        return key.isEmpty() || key.length() > 256 ? null : key;
    }

    /** The merchant the key belongs to, or null for an unknown or revoked key. */
    public Future<String> merchantFor(String apiKey) {
        ByteBuffer hash = ByteBuffer.wrap(ApiKeys.hash(apiKey));
        Cached hit = cache.get(hash);
        long now = System.nanoTime();
        if (hit != null && now - hit.expiresAtNanos < 0) return Future.succeededFuture(hit.merchantId);
        Future<String> pending = lookups.get(hash);
        if (pending == null) {
            Promise<String> mine = Promise.promise();
            pending = lookups.putIfAbsent(hash, mine.future());
            if (pending == null) {
                lookup.apply(hash.array()).map(merchant -> remember(hash, merchant)).onComplete(ar -> {
                    lookups.remove(hash, mine.future());
                    mine.handle(ar);
                });
                return mine.future();
            }
        }
        return onCallersContext(pending);
    }

    private String remember(ByteBuffer hash, String merchant) {
        if (merchant == null) {
            cache.remove(hash);
        } else {
            if (cache.size() >= MAX_CACHED) cache.clear();
            cache.put(hash, new Cached(merchant, System.nanoTime() + TTL_NANOS));
        }
        return merchant;
    }

    /** Another event loop's lookup, answered on this caller's own event loop, where its request lives. */
    private static <T> Future<T> onCallersContext(Future<T> shared) {
        Context caller = Vertx.currentContext();
        Promise<T> answer = Promise.promise();
        shared.onComplete(ar -> {
            if (caller == null || Vertx.currentContext() == caller) answer.handle(ar);
            else caller.runOnContext(v -> answer.handle(ar));
        });
        return answer.future();
    }
}
