package dev.payproc.ledger.admin;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.security.MessageDigest;
import java.util.Map;
import java.util.TreeMap;

/**
 * The check values of the card encryption keys by id ({@code card_key_checks}): the first process to use an id
 * records its key's check value, and a later one that brings another key under that id is refused at start.
 */
public final class CardKeyChecks {
    private CardKeyChecks() {}

    /** Records the check values not stored yet; fails, naming the key id, if one stored differs. */
    public static Future<Void> verify(Pool pool, Map<String, byte[]> checks) {
        Future<Void> chain = Future.succeededFuture();
        for (Map.Entry<String, byte[]> check : new TreeMap<>(checks).entrySet()) {
            chain = chain.compose(v -> pool.preparedQuery(
                            "WITH added AS (INSERT INTO card_key_checks (key_id, check_value)"
                                    + " VALUES ($1, $2) ON CONFLICT (key_id) DO NOTHING RETURNING check_value)"
                                    + " SELECT check_value FROM added UNION ALL"
                                    + " SELECT check_value FROM card_key_checks WHERE key_id = $1")
                    .execute(Tuple.of(check.getKey(), Buffer.buffer(check.getValue())))
                    .compose(rows -> {
                        byte[] stored = rows.iterator().next().getBuffer(0).getBytes();
                        if (MessageDigest.isEqual(stored, check.getValue())) return Future.succeededFuture();
                        return Future.failedFuture(new IllegalStateException("the card encryption key given for key id "
                                + check.getKey() + " (CARD_KEY_ID or CARD_RETIRED_KEYS) is not the one card data was"
                                + " stored with under that id: give that key, or a new key under a new id"));
                    }));
        }
        return chain;
    }
}
