package dev.payproc.ledger.read;

import dev.payproc.core.model.Authorization;
import dev.payproc.core.model.CaptureMode;
import dev.payproc.core.model.CardOnFile;
import dev.payproc.core.model.CardholderVerification;
import dev.payproc.core.model.Decision;
import dev.payproc.core.model.DecisionStatus;
import dev.payproc.core.model.EntryMode;
import dev.payproc.core.model.Payment;
import dev.payproc.core.model.PaymentEvent;
import dev.payproc.core.model.Reason;
import dev.payproc.core.model.StoredPayment;
import dev.payproc.core.port.PaymentReader;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Reads payments back from the ledger (one round trip: the payment row with its events aggregated). */
public final class PaymentQueries implements PaymentReader {
    /** The payment columns with its events aggregated in order, for {@link #toStored}. */
    public static final String WITH_EVENTS = """
            SELECT p.*, (SELECT coalesce(json_agg(json_build_object('seq', e.seq, 'type', e.type, 'status', e.status,
                                   'amount', e.amount, 'createdMs', (extract(epoch FROM e.created_at) * 1000)::bigint)
                                   ORDER BY e.seq), '[]'::json)
                         FROM payment_events e WHERE e.payment_id = p.id) AS events
            FROM payments p""";

    private static final String BY_ID = WITH_EVENTS + " WHERE p.id = $1 AND p.merchant_id = $2";
    /** The predicate of the partial index {@code payments_flagged_time}, so the planner uses it. */
    private static final String LATEST_FLAGGED =
            "SELECT id, created_at, status, amount, currency, masked_pan, merchant_id,"
                    + " terminal_id, risk_score, reasons FROM payments WHERE status IN ('DECLINED', 'CHALLENGE', 'REVIEW')"
                    + " ORDER BY created_at DESC LIMIT $1";

    private final Pool pool;

    public PaymentQueries(Pool pool) {
        this.pool = pool;
    }

    /** The payment if it exists and belongs to the merchant; null otherwise (the two are not told apart). */
    public Future<StoredPayment> find(String paymentId, String merchantId) {
        return pool.preparedQuery(BY_ID)
                .execute(Tuple.of(paymentId, merchantId))
                .map(rows -> rows.size() == 0 ? null : toStored(rows.iterator().next()));
    }

    /** The newest declined, challenged and reviewed payments, newest first. */
    public Future<List<FlaggedPayment>> latestFlagged(int limit) {
        return pool.preparedQuery(LATEST_FLAGGED).execute(Tuple.of(limit)).map(rows -> {
            List<FlaggedPayment> out = new ArrayList<>(rows.size());
            for (Row r : rows) {
                out.add(new FlaggedPayment(
                        r.getString("id"),
                        r.getOffsetDateTime("created_at").toInstant(),
                        r.getString("status"),
                        r.getLong("amount"),
                        r.getString("currency"),
                        r.getString("masked_pan"),
                        r.getString("merchant_id"),
                        r.getString("terminal_id"),
                        r.getInteger("risk_score"),
                        reasons(r)));
            }
            return out;
        });
    }

    static List<Reason> reasons(Row r) {
        List<Reason> reasons = new ArrayList<>();
        for (Object o : (JsonArray) r.getJson("reasons")) {
            JsonObject j = (JsonObject) o;
            reasons.add(new Reason(j.getString("code"), j.getString("message")));
        }
        return reasons;
    }

    public static StoredPayment toStored(Row r) {
        String status = r.getString("status");
        DecisionStatus decided = decidedStatus(status);
        List<Reason> reasons = reasons(r);
        String masked = r.getString("masked_pan");
        String bin = r.getString("card_bin"); // null in rows from before V10, which know only the masked PAN's 6 digits
        CardOnFile card = new CardOnFile(
                r.getString("card_token"),
                r.getString("card_fingerprint"),
                masked,
                bin == null ? masked.substring(0, 6) : bin,
                r.getString("card_expiry"),
                null,
                null);
        Authorization auth = new Authorization(
                r.getString("merchant_id"),
                r.getString("terminal_id"),
                r.getLong("amount"),
                r.getString("currency"),
                card,
                EntryMode.valueOf(r.getString("entry_mode")),
                r.getString("mcc"),
                r.getString("merchant_country"),
                CardholderVerification.valueOf(r.getString("cardholder_verification")),
                CaptureMode.valueOf(r.getString("capture_mode")));
        Decision decision =
                new Decision(decided, r.getInteger("risk_score"), reasons, r.getInteger("rule_set_version"));
        Instant created = r.getOffsetDateTime("created_at").toInstant();
        Payment payment = new Payment(
                r.getString("id"),
                auth,
                decision,
                r.getString("auth_code"),
                r.getLong("captured_amount"),
                r.getLong("refunded_amount"),
                created,
                r.getLong("fee_amount"));
        List<PaymentEvent> events = new ArrayList<>();
        for (Object o : (JsonArray) r.getJson("events")) {
            JsonObject e = (JsonObject) o;
            events.add(new PaymentEvent(
                    e.getInteger("seq"),
                    e.getString("type"),
                    e.getString("status"),
                    e.getLong("amount"),
                    Instant.ofEpochMilli(e.getLong("createdMs"))));
        }
        // The stored answers' rows (AuthorizationBatchSql.STORED_ANSWERS) are the payment as authorized: no dispute
        // yet.
        long disputed = r.getColumnIndex("disputed_amount") < 0 ? 0 : r.getLong("disputed_amount");
        return new StoredPayment(payment, status, events, disputed);
    }

    /** The authorization's own decision: the status of the first event (later lifecycle states build on it). */
    private static DecisionStatus decidedStatus(String status) {
        for (DecisionStatus s : DecisionStatus.values()) {
            if (s.name().equals(status)) return s;
        }
        return DecisionStatus.APPROVED; // a captured, voided or refunded payment was approved first
    }
}
