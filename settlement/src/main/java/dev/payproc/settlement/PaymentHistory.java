package dev.payproc.settlement;

import dev.payproc.core.model.Authorization;
import dev.payproc.core.model.CaptureMode;
import dev.payproc.core.model.CardOnFile;
import dev.payproc.core.model.CardholderVerification;
import dev.payproc.core.model.EntryMode;
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

/** Stored authorizations in the order they were decided, for backtests of candidate rule sets. */
public final class PaymentHistory {
    /** An authorization as it was decided: its outcome (the first event) and the rules that fired. */
    public record DecidedAttempt(Authorization authorization, long atMillis, String decidedStatus, Set<String> reasonCodes) {}

    private static final String RANGE = """
            SELECT p.merchant_id, p.terminal_id, p.amount, p.currency, p.card_token, p.card_fingerprint, p.masked_pan,
                   p.card_expiry, p.entry_mode, p.mcc, p.merchant_country, p.cardholder_verification, p.capture_mode,
                   p.reasons, (extract(epoch FROM p.created_at) * 1000)::bigint AS at_ms, e.status AS decided
            FROM payments p JOIN payment_events e ON e.payment_id = p.id AND e.seq = 1
            WHERE p.created_at >= $1 AND p.created_at < $2
            ORDER BY p.created_at, p.id
            LIMIT $3""";

    private final Pool pool;

    public PaymentHistory(Pool pool) {
        this.pool = pool;
    }

    /** Up to {@code limit} authorizations decided in [from, to), oldest first. */
    public Future<List<DecidedAttempt>> decided(Instant from, Instant to, int limit) {
        return pool.preparedQuery(RANGE).execute(Tuple.of(from.atOffset(ZoneOffset.UTC), to.atOffset(ZoneOffset.UTC), limit))
                .map(rows -> {
                    List<DecidedAttempt> out = new ArrayList<>(rows.size());
                    for (Row r : rows) {
                        CardOnFile card = new CardOnFile(r.getString("card_token"), r.getString("card_fingerprint"),
                                r.getString("masked_pan"), r.getString("card_expiry"), null, null);
                        Authorization auth = new Authorization(r.getString("merchant_id"), r.getString("terminal_id"),
                                r.getLong("amount"), r.getString("currency").trim(), card, EntryMode.valueOf(r.getString("entry_mode")),
                                r.getString("mcc"), r.getString("merchant_country"),
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
