package dev.payproc.ledger.read;

import dev.payproc.core.model.Authorization;
import dev.payproc.core.model.CaptureMode;
import dev.payproc.core.model.CardOnFile;
import dev.payproc.core.model.CardholderVerification;
import dev.payproc.core.model.EntryMode;
import dev.payproc.core.port.DecisionHistory;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Stored authorizations in the order they were decided: for rebuilding risk state at start, and for backtests. */
public final class PaymentHistory implements DecisionHistory {

    // RANGE (for backtests: the card's current fingerprint too, see SINCE) and SINCE are package-private for
    // PaymentHistoryPlanIT, which checks that an index serves them. The decided status is the authorization event's:
    // the payment row's auth_status since V16, the written event before (a join with the payment_events view would
    // read every payment: a UNION ALL branch with a WHERE is not flattened, so no index probe reaches it).
    static final String RANGE = """
            SELECT p.merchant_id, p.terminal_id, p.amount, p.currency, p.card_token,
                   coalesce(c.fingerprint, p.card_fingerprint) AS card_fingerprint, p.masked_pan,
                   coalesce(p.card_bin, left(p.masked_pan, 6)) AS card_bin, p.card_expiry, p.entry_mode, p.mcc,
                   p.merchant_country, p.cardholder_verification, p.capture_mode,
                   p.reasons, (extract(epoch FROM p.created_at) * 1000)::bigint AS at_ms, e.decided
            FROM payments p
            JOIN LATERAL (SELECT coalesce(p.auth_status, (SELECT r.status FROM payment_event_rows r
                                                         WHERE r.payment_id = p.id AND r.seq = 1)) AS decided) e
              ON e.decided IS NOT NULL
            LEFT JOIN cards c ON c.token = p.card_token
            WHERE p.created_at >= $1 AND p.created_at < $2
            ORDER BY p.created_at, p.id
            LIMIT $3""";

    /** One attempt as risk state needs it after a restart: who, how much, where, when, and its status now. */
    public record PastAttempt(
            String cardFingerprint,
            String merchantId,
            String terminalId,
            long amount,
            String currency,
            String merchantCountry,
            String entryMode,
            String status,
            long atMillis) {}

    /**
     * The card's CURRENT fingerprint ({@code cards}, rewritten when {@code CARD_HMAC_KEY} rotates), falling back to
     * the payment's own: {@code payments.card_fingerprint} is sealed (EventSealSql) and stays the value under the key
     * of its time, so after a rotation it would make every known card new to risk. Every payment names its card's
     * token ({@code cards} primary key: one index probe per payment).
     */
    static final String SINCE = """
            SELECT coalesce(c.fingerprint, p.card_fingerprint), p.merchant_id, p.terminal_id, p.amount, p.currency,
                   p.merchant_country, p.entry_mode, p.status, (extract(epoch FROM p.created_at) * 1000)::bigint
            FROM payments p LEFT JOIN cards c ON c.token = p.card_token
            WHERE p.created_at > $1 ORDER BY p.created_at, p.id""";

    private static final int FETCH = 10_000;

    private final Pool pool;

    public PaymentHistory(Pool pool) {
        this.pool = pool;
    }

    /**
     * Streams every authorization since {@code since}, oldest first, to {@code sink} (through a cursor, so a
     * day of traffic never sits in memory at once); completes with how many there were.
     */
    public Future<Long> attemptsSince(Instant since, java.util.function.Consumer<PastAttempt> sink) {
        return pool.withTransaction(conn -> conn.prepare(SINCE).compose(ps -> {
            io.vertx.sqlclient.Cursor cursor = ps.cursor(Tuple.of(since.atOffset(ZoneOffset.UTC)));
            return readAll(cursor, sink, 0L).eventually(cursor::close);
        }));
    }

    private static Future<Long> readAll(
            io.vertx.sqlclient.Cursor cursor, java.util.function.Consumer<PastAttempt> sink, long seen) {
        return cursor.read(FETCH).compose(rows -> {
            long n = seen;
            for (Row r : rows) {
                sink.accept(new PastAttempt(
                        r.getString(0),
                        r.getString(1),
                        r.getString(2),
                        r.getLong(3),
                        r.getString(4).trim(),
                        r.getString(5),
                        r.getString(6),
                        r.getString(7),
                        r.getLong(8)));
                n++;
            }
            return cursor.hasMore() ? readAll(cursor, sink, n) : Future.succeededFuture(n);
        });
    }

    /** Up to {@code limit} authorizations decided in [from, to), oldest first. */
    public Future<List<DecidedAttempt>> decided(Instant from, Instant to, int limit) {
        return pool.preparedQuery(RANGE)
                .execute(Tuple.of(from.atOffset(ZoneOffset.UTC), to.atOffset(ZoneOffset.UTC), limit))
                .map(rows -> {
                    List<DecidedAttempt> out = new ArrayList<>(rows.size());
                    for (Row r : rows) {
                        CardOnFile card = new CardOnFile(
                                r.getString("card_token"),
                                r.getString("card_fingerprint"),
                                r.getString("masked_pan"),
                                r.getString("card_bin"),
                                r.getString("card_expiry"),
                                null,
                                null);
                        Authorization auth = new Authorization(
                                r.getString("merchant_id"),
                                r.getString("terminal_id"),
                                r.getLong("amount"),
                                r.getString("currency").trim(),
                                card,
                                EntryMode.valueOf(r.getString("entry_mode")),
                                r.getString("mcc"),
                                r.getString("merchant_country"),
                                CardholderVerification.valueOf(r.getString("cardholder_verification")),
                                CaptureMode.valueOf(r.getString("capture_mode")));
                        Set<String> codes = new HashSet<>();
                        for (Object o : (JsonArray) r.getJson("reasons")) codes.add(((JsonObject) o).getString("code"));
                        out.add(new DecidedAttempt(auth, r.getLong("at_ms"), r.getString("decided"), codes));
                    }
                    return out;
                });
    }
}
