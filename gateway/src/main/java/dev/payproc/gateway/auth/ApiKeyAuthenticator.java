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
import java.util.function.LongSupplier;

/**
 * Resolves {@code Authorization: Bearer <key>} to a merchant. Known keys are cached for a short time so
 * the hot path needs no database round trip; a revoked key stops working within that time. Unknown keys are
 * remembered more briefly in a bounded map of their own, so repeating a wrong key costs no query and guessing
 * can evict only other guesses, never a known key. An address that fails too often gets no lookups for a while
 * ({@link AuthFailures}), while keys already known keep working from it. Lookups are single-flight: when a key's
 * entry is missing or expires under load, one database query serves every request that asks meanwhile, instead
 * of a stampede of identical queries queueing for the read pool.
 */
public final class ApiKeyAuthenticator {
    private static final long TTL_NANOS = 30_000_000_000L;
    private static final int MAX_CACHED = 100_000;
    static final long UNKNOWN_TTL_NANOS = 5_000_000_000L;
    static final int MAX_UNKNOWN = 10_000;

    private record Cached(String merchantId, long expiresAtNanos) {}

    /** A key checked for a caller: its merchant (null: unknown), or refused unasked because the caller failed too often. */
    public record KeyCheck(String merchantId, boolean throttled, long retryAfterSeconds) {}

    /** The merchant of a key's SHA-256 hash, or null (Merchants::merchantForKey). */
    private final Function<byte[], Future<String>> lookup;

    private final Map<ByteBuffer, Cached> cache = new ConcurrentHashMap<>();
    private final Map<ByteBuffer, Long> unknown = new ConcurrentHashMap<>(); // hash -> until when (nanos)
    private final Map<ByteBuffer, Future<String>> lookups = new ConcurrentHashMap<>();
    private final LongSupplier nanoClock;
    private final AuthFailures failures;

    public ApiKeyAuthenticator(Function<byte[], Future<String>> lookup) {
        this(lookup, System::nanoTime);
    }

    ApiKeyAuthenticator(Function<byte[], Future<String>> lookup, LongSupplier nanoClock) {
        this.lookup = lookup;
        this.nanoClock = nanoClock;
        this.failures = new AuthFailures(nanoClock);
    }

    /** The key's merchant for a caller at {@code address}; an unknown key counts as a failure of that address. */
    public Future<KeyCheck> check(String apiKey, String address) {
        ByteBuffer hash = ByteBuffer.wrap(ApiKeys.hash(apiKey));
        String known = cached(hash, nanoClock.getAsLong());
        if (known != null) return Future.succeededFuture(new KeyCheck(known, false, 0));
        if (failures.throttled(address)) {
            return Future.succeededFuture(new KeyCheck(null, true, failures.retryAfterSeconds(address)));
        }
        return merchantFor(hash).map(merchant -> {
            if (merchant == null) failures.failed(address);
            return new KeyCheck(merchant, false, 0);
        });
    }

    /** The bearer token of an {@code Authorization} header, or null when there is none. */
    public static String bearer(String header) {
        if (header == null || header.length() < 8 || !header.regionMatches(true, 0, "Bearer ", 0, 7)) return null;
        String key = header.substring(7).trim();
        return key.isEmpty() || key.length() > 256 ? null : key;
    }

    /** The merchant the key belongs to, or null for an unknown or revoked key. */
    public Future<String> merchantFor(String apiKey) {
        return merchantFor(ByteBuffer.wrap(ApiKeys.hash(apiKey)));
    }

    /** The merchant of a cached, unexpired key's hash, or null. */
    private String cached(ByteBuffer hash, long now) {
        Cached hit = cache.get(hash);
        return hit != null && now - hit.expiresAtNanos < 0 ? hit.merchantId : null;
    }

    private Future<String> merchantFor(ByteBuffer hash) {
        long now = nanoClock.getAsLong();
        String known = cached(hash, now);
        if (known != null) return Future.succeededFuture(known);
        Long unknownUntil = unknown.get(hash);
        if (unknownUntil != null && now - unknownUntil < 0) return Future.succeededFuture(null);
        Future<String> pending = lookups.get(hash);
        if (pending == null) {
            Promise<String> mine = Promise.promise();
            pending = lookups.putIfAbsent(hash, mine.future());
            if (pending == null) {
                lookup.apply(hash.array())
                        // Only a lookup still registered may cache its answer: one the key was forgotten during
                        // (revoked meanwhile) answers its waiting requests but leaves nothing behind.
                        .map(merchant -> lookups.get(hash) == mine.future() ? remember(hash, merchant) : merchant)
                        .onComplete(ar -> {
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
            if (unknown.size() >= MAX_UNKNOWN) unknown.clear();
            unknown.put(hash, nanoClock.getAsLong() + UNKNOWN_TTL_NANOS);
        } else {
            if (cache.size() >= MAX_CACHED) cache.clear();
            unknown.remove(hash);
            cache.put(hash, new Cached(merchant, nanoClock.getAsLong() + TTL_NANOS));
        }
        return merchant;
    }

    /**
     * Forgets a revoked key in this process at once (its next use is looked up, and refused); other processes still
     * answer it from their cache for up to its TTL (30 s).
     */
    public void forget(byte[] keyHash) {
        ByteBuffer hash = ByteBuffer.wrap(keyHash);
        lookups.remove(hash); // a lookup in flight must not put the key back into the cache
        cache.remove(hash);
    }

    int unknownRemembered() {
        return unknown.size();
    }

    int addressesWithFailures() {
        return failures.addresses();
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
