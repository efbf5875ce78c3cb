package dev.payproc.ledger.admin;

import dev.payproc.core.card.Sha256;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;

import java.security.SecureRandom;
import java.util.Base64;

/** Merchants and their terminal API keys. A key is stored only as its SHA-256 hash. */
public final class MerchantDirectory {
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Pool pool;

    public MerchantDirectory(Pool pool) {
        this.pool = pool;
    }

    /** SHA-256 of a key: API keys are long random secrets, so a fast unsalted hash is enough to store them. */
    public static byte[] hashKey(String apiKey) {
        return Sha256.of(apiKey);
    }

    /** A fresh key: {@code sk_} and 32 random bytes, base64url. */
    public static String newApiKey() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return "sk_" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** The merchant a key belongs to, or null when the key is unknown or revoked. */
    public Future<String> merchantForKey(byte[] keyHash) {
        return pool.preparedQuery("SELECT merchant_id FROM api_keys WHERE key_hash = $1 AND revoked_at IS NULL")
                .execute(Tuple.of(Buffer.buffer(keyHash)))
                .map(rows -> rows.size() == 0 ? null : rows.iterator().next().getString(0));
    }

    /** Creates the merchant unless it exists; completes with whether it was created. */
    public Future<Boolean> ensureMerchant(String merchantId, String name) {
        return pool.preparedQuery("INSERT INTO merchants (id, name) VALUES ($1, $2) ON CONFLICT (id) DO NOTHING")
                .execute(Tuple.of(merchantId, name))
                .map(rows -> rows.rowCount() == 1);
    }

    public Future<Boolean> merchantExists(String merchantId) {
        return pool.preparedQuery("SELECT 1 FROM merchants WHERE id = $1").execute(Tuple.of(merchantId))
                .map(rows -> rows.size() == 1);
    }

    /** Registers {@code apiKey} for the merchant unless it is registered already. */
    public Future<Void> addApiKey(String merchantId, String apiKey) {
        return pool.preparedQuery("INSERT INTO api_keys (key_hash, merchant_id, key_prefix) VALUES ($1, $2, $3) "
                        + "ON CONFLICT (key_hash) DO NOTHING")
                .execute(Tuple.of(Buffer.buffer(hashKey(apiKey)), merchantId, apiKey.substring(0, Math.min(7, apiKey.length()))))
                .mapEmpty();
    }
}
