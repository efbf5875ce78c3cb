package dev.payproc.ledger.admin;

import dev.payproc.core.auth.ApiKeys;
import dev.payproc.core.port.Merchants;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;

/** Merchants and their terminal API keys. A key is stored only as its SHA-256 hash. */
public final class MerchantDirectory implements Merchants {

    private final Pool pool;

    public MerchantDirectory(Pool pool) {
        this.pool = pool;
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
        return pool.preparedQuery("SELECT 1 FROM merchants WHERE id = $1")
                .execute(Tuple.of(merchantId))
                .map(rows -> rows.size() == 1);
    }

    /** Registers {@code apiKey} for the merchant unless it is registered already. */
    public Future<Void> addApiKey(String merchantId, String apiKey) {
        return pool.preparedQuery("INSERT INTO api_keys (key_hash, merchant_id, key_prefix) VALUES ($1, $2, $3) "
                        + "ON CONFLICT (key_hash) DO NOTHING")
                .execute(Tuple.of(
                        Buffer.buffer(ApiKeys.hash(apiKey)),
                        merchantId,
                        apiKey.substring(0, Math.min(7, apiKey.length()))))
                .mapEmpty();
    }

    public Future<List<RevokedKey>> revokeApiKeys(String merchantId, String keyPrefix) {
        return pool.preparedQuery("UPDATE api_keys SET revoked_at = now() "
                        + "WHERE merchant_id = $1 AND key_prefix = $2 AND revoked_at IS NULL "
                        + "RETURNING key_hash, key_prefix, revoked_at")
                .execute(Tuple.of(merchantId, keyPrefix))
                .map(rows -> {
                    List<RevokedKey> revoked = new ArrayList<>();
                    for (Row row : rows) {
                        revoked.add(new RevokedKey(
                                row.getBuffer(0).getBytes(),
                                row.getString(1),
                                row.getOffsetDateTime(2).toInstant()));
                    }
                    return revoked;
                });
    }
}
