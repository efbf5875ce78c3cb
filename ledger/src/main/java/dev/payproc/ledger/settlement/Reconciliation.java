package dev.payproc.ledger.settlement;

import dev.payproc.core.port.Reconciler;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import java.util.ArrayList;
import java.util.List;

/**
 * Proves that postings, payment states and settlements agree, and says exactly what disagrees if not:
 * every event's and settlement's postings balance per currency; a settlement moved exactly its net; each
 * payment's captured and refunded
 * amounts equal its postings on merchant_payable; its status is its last event's; each settlement's totals
 * equal the postings of its day; every event and posting has its payment, and every payment and card its
 * merchant (the hot-path tables keep these references by construction, not by foreign keys: V7). Read-only; meant for operators and for tests of the ledger's invariants.
 */
public final class Reconciliation implements Reconciler {

    private static final String COUNTS = """
            SELECT (SELECT count(*) FROM payments), (SELECT count(*) FROM postings) + (SELECT count(*) FROM settlement_postings),
                   (SELECT count(*) FROM settlements)""";

    private static final String PROBLEMS = """
            SELECT 'unbalanced_event' AS check, payment_id || '#' || event_seq AS id,
                   currency || ': debits exceed credits by ' || sum(CASE direction WHEN 'D' THEN amount ELSE -amount END) AS detail
            FROM postings GROUP BY payment_id, event_seq, currency
            HAVING sum(CASE direction WHEN 'D' THEN amount ELSE -amount END) <> 0
            UNION ALL
            SELECT 'unbalanced_settlement', settlement_id,
                   currency || ': debits exceed credits by ' || sum(CASE direction WHEN 'D' THEN amount ELSE -amount END)
            FROM settlement_postings GROUP BY settlement_id, currency
            HAVING sum(CASE direction WHEN 'D' THEN amount ELSE -amount END) <> 0
            UNION ALL
            SELECT 'settlement_net_vs_postings', s.id, 'net ' || s.net_amount || ' vs ' || coalesce(x.moved, 0) || ' moved to settled'
            FROM settlements s
            LEFT JOIN (SELECT settlement_id, sum(CASE direction WHEN 'C' THEN amount ELSE -amount END) AS moved
                       FROM settlement_postings WHERE account = 'merchant_settled' GROUP BY settlement_id) x
              ON x.settlement_id = s.id
            WHERE s.net_amount <> coalesce(x.moved, 0)
            UNION ALL
            SELECT 'amounts_vs_postings', p.id,
                   'captured ' || p.captured_amount || ' vs postings ' || coalesce(x.captured, 0)
                   || ', refunded ' || p.refunded_amount || ' vs postings ' || coalesce(x.refunded, 0)
                   || ', fee ' || p.fee_amount || ' vs postings ' || coalesce(x.fees, 0)
            FROM payments p
            LEFT JOIN (SELECT payment_id,
                              sum(amount) FILTER (WHERE account = 'cardholder_funding' AND direction = 'D') AS captured,
                              sum(amount) FILTER (WHERE account = 'cardholder_funding' AND direction = 'C') AS refunded,
                              sum(amount) FILTER (WHERE account = 'fee_income' AND direction = 'C') AS fees
                       FROM postings GROUP BY payment_id) x ON x.payment_id = p.id
            WHERE p.captured_amount <> coalesce(x.captured, 0) OR p.refunded_amount <> coalesce(x.refunded, 0)
               OR p.fee_amount <> coalesce(x.fees, 0)
            UNION ALL
            SELECT 'status_vs_events', p.id, 'payment is ' || p.status || ', its last event says ' || coalesce(e.status, 'nothing')
            FROM payments p
            LEFT JOIN LATERAL (SELECT status FROM payment_events WHERE payment_id = p.id ORDER BY seq DESC LIMIT 1) e ON true
            WHERE e.status IS DISTINCT FROM p.status
            UNION ALL
            SELECT 'settlement_vs_postings', s.id,
                   'settled ' || s.capture_count || ' captures ' || s.capture_amount || ' / ' || s.refund_count || ' refunds '
                   || s.refund_amount || ' / fees ' || s.fee_amount || '; the day''s postings now: ' || t.cc || ' / ' || t.ca
                   || ' / ' || t.rc || ' / ' || t.ra || ' / ' || t.fa
            FROM settlements s
            CROSS JOIN LATERAL (
              SELECT count(*) FILTER (WHERE account = 'cardholder_funding' AND direction = 'D') AS cc,
                     coalesce(sum(amount) FILTER (WHERE account = 'cardholder_funding' AND direction = 'D'), 0) AS ca,
                     count(*) FILTER (WHERE account = 'cardholder_funding' AND direction = 'C') AS rc,
                     coalesce(sum(amount) FILTER (WHERE account = 'cardholder_funding' AND direction = 'C'), 0) AS ra,
                     coalesce(sum(amount) FILTER (WHERE account = 'fee_income' AND direction = 'C'), 0) AS fa
              FROM postings p
              WHERE p.merchant_id = s.merchant_id AND p.currency = s.currency AND p.account IN ('cardholder_funding', 'fee_income')
                AND p.created_at >= (s.business_date::timestamp AT TIME ZONE 'UTC')
                AND p.created_at < ((s.business_date + 1)::timestamp AT TIME ZONE 'UTC')) t
            WHERE (s.capture_count, s.capture_amount, s.refund_count, s.refund_amount, s.fee_amount) <> (t.cc, t.ca, t.rc, t.ra, t.fa)
            UNION ALL
            SELECT 'orphan_event', e.payment_id || '#' || e.seq, 'event ' || e.type || ' of a payment that does not exist'
            FROM payment_events e WHERE NOT EXISTS (SELECT 1 FROM payments p WHERE p.id = e.payment_id)
            UNION ALL
            SELECT 'orphan_posting', o.payment_id || '#' || o.event_seq || '#' || o.leg, o.account || ' posting of a payment that does not exist'
            FROM postings o WHERE NOT EXISTS (SELECT 1 FROM payments p WHERE p.id = o.payment_id)
            UNION ALL
            SELECT 'orphan_payment', p.id, 'merchant ' || p.merchant_id || ' does not exist'
            FROM payments p WHERE NOT EXISTS (SELECT 1 FROM merchants m WHERE m.id = p.merchant_id)
            UNION ALL
            SELECT 'orphan_card', c.token, 'merchant ' || c.merchant_id || ' does not exist'
            FROM cards c WHERE NOT EXISTS (SELECT 1 FROM merchants m WHERE m.id = c.merchant_id)
            LIMIT 1000""";

    private final Pool pool;

    public Reconciliation(Pool pool) {
        this.pool = pool;
    }

    public Future<Result> run() {
        return pool.query(COUNTS)
                .execute()
                .compose(counts -> pool.query(PROBLEMS).execute().map(rows -> {
                    Row c = counts.iterator().next();
                    List<Problem> problems = new ArrayList<>();
                    for (Row r : rows) problems.add(new Problem(r.getString(0), r.getString(1), r.getString(2)));
                    return new Result(c.getLong(0), c.getLong(1), c.getLong(2), problems);
                }));
    }
}
