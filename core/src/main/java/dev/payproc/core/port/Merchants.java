package dev.payproc.core.port;

import io.vertx.core.Future;
import java.time.Instant;
import java.util.List;

/** Merchants and their terminals' API keys (only a key's hash is stored). */
public interface Merchants {
    /** The merchant a key belongs to, or null when the key is unknown or revoked. */
    Future<String> merchantForKey(byte[] keyHash);

    /** Creates the merchant unless it exists; completes with whether it was created. */
    Future<Boolean> ensureMerchant(String merchantId, String name);

    /** Registers {@code apiKey} for the merchant unless it is registered already. */
    Future<Void> addApiKey(String merchantId, String apiKey);

    /** A key just revoked: its hash (to forget it in caches) and what an operator knows it by. */
    record RevokedKey(byte[] keyHash, String keyPrefix, Instant revokedAt) {}

    /** Revokes the merchant's keys still in force whose prefix is {@code keyPrefix}; completes with those revoked. */
    Future<List<RevokedKey>> revokeApiKeys(String merchantId, String keyPrefix);
}
