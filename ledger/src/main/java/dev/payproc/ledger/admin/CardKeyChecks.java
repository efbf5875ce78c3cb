package dev.payproc.ledger.admin;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;
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

    /**
     * The encryption key ids stored cards use, each once: a loose index scan of {@code cards_key_id_created} (one
     * index probe per id), not a read of every card.
     */
    static final String STORED_KEY_IDS = """
            WITH RECURSIVE ids(key_id) AS (
              (SELECT key_id FROM cards ORDER BY key_id LIMIT 1)
              UNION ALL
              SELECT (SELECT c.key_id FROM cards c WHERE c.key_id > ids.key_id ORDER BY c.key_id LIMIT 1)
              FROM ids WHERE ids.key_id IS NOT NULL
            )
            SELECT key_id FROM ids WHERE key_id IS NOT NULL""";

    /**
     * Fails, naming each id and how many cards use it, when stored cards are under a key id that is neither
     * {@code known} (the current and the retired ones): their PANs could never be decrypted.
     */
    public static Future<Void> verifyStoredKeyIds(Pool pool, Set<String> known) {
        return pool.query(STORED_KEY_IDS).execute().compose(rows -> {
            List<String> unknown = new ArrayList<>();
            rows.forEach(r -> {
                if (!known.contains(r.getString(0))) unknown.add(r.getString(0));
            });
            if (unknown.isEmpty()) return Future.succeededFuture();
            return pool.preparedQuery("SELECT key_id, count(*) FROM cards WHERE key_id = ANY($1) GROUP BY key_id"
                            + " ORDER BY key_id")
                    .execute(Tuple.of(unknown.toArray(new String[0])))
                    .compose(counts -> {
                        StringJoiner named = new StringJoiner(", ");
                        counts.forEach(r -> named.add(r.getString(0) + " (" + r.getLong(1) + " cards)"));
                        return Future.failedFuture(new IllegalStateException("stored cards use card key id(s) "
                                + named + " that are neither CARD_KEY_ID nor in CARD_RETIRED_KEYS: their PANs could"
                                + " not be decrypted; give each such key in CARD_RETIRED_KEYS"));
                    });
        });
    }
}
