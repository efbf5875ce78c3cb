package dev.payproc.ledger.admin;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.security.MessageDigest;
import java.util.Map;
import java.util.TreeMap;

/**
 * The check values of the keys that are not encryption keys by id ({@code key_checks}), by the setting that gives
 * them ({@code CARD_HMAC_KEY}, {@code AUDIT_HMAC_KEY}): the first start records each, and a later one given another
 * key under that setting is refused, naming it (never the key).
 */
public final class KeyChecks {
    /** Why a setting's key must stay the one recorded, for the refusal. */
    public record Check(byte[] value, String consequence) {}

    private KeyChecks() {}

    /** Records the check values not stored yet; fails, naming the setting, if one stored differs. */
    public static Future<Void> verify(Pool pool, Map<String, Check> checks) {
        Future<Void> chain = Future.succeededFuture();
        for (Map.Entry<String, Check> check : new TreeMap<>(checks).entrySet()) {
            String setting = check.getKey();
            byte[] value = check.getValue().value();
            chain = chain.compose(v -> pool.preparedQuery("WITH added AS (INSERT INTO key_checks (name, check_value)"
                            + " VALUES ($1, $2) ON CONFLICT (name) DO NOTHING RETURNING check_value)"
                            + " SELECT check_value FROM added UNION ALL"
                            + " SELECT check_value FROM key_checks WHERE name = $1")
                    .execute(Tuple.of(setting, Buffer.buffer(value)))
                    .compose(rows -> {
                        byte[] stored = rows.iterator().next().getBuffer(0).getBytes();
                        if (MessageDigest.isEqual(stored, value)) return Future.succeededFuture();
                        return Future.failedFuture(new IllegalStateException(setting
                                + " is not the key this database was first used with (its check value differs from"
                                + " the one recorded then): " + check.getValue().consequence()
                                + "; give the key it was first used with"));
                    }));
        }
        return chain;
    }
}
