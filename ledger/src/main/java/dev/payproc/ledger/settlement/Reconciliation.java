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
 * payment's captured, refunded and fee amounts equal its postings on cardholder_funding and fee_income (less what its
 * lost disputes credited there), what its disputes hold equals its dispute events and dispute rows, its
 * captured and refunded amounts the sums of its events, and its status is its last event's; every event posted
 * exactly what its type and amount imply (accounts, directions, amount moved; see {@code PROBLEMS}), on its
 * payment's merchant and currency, and no posting belongs to an event that does not exist; each settlement's
 * totals equal the postings of its day; every event and posting has its payment, and every payment and card its
 * merchant (the hot-path tables keep these references by construction, not by foreign keys: V7). Read-only;
 * meant for operators and for tests of the ledger's invariants.
 */
public final class Reconciliation implements Reconciler {

    private static final String COUNTS = """
            SELECT (SELECT count(*) FROM payments), (SELECT count(*) FROM postings) + (SELECT count(*) FROM settlement_postings),
                   (SELECT count(*) FROM settlements)""";

    /*
     * What each event must have posted, as the writers post it (AuthorizationBatchSql; PaymentLifecycle through
     * LifecycleBatch); settlement runs post to settlement_postings, never to postings. An event's amount is not
     * always money moved:
     *  - AUTHORIZATION (always seq 1; status APPROVED, REVIEW, DECLINED or CHALLENGE): amount is the AUTHORIZED
     *    amount. Only an approved (APPROVED or REVIEW) sale (capture_mode AUTO) captures it at once:
     *    cardholder_funding D amount, merchant_payable C amount - fee, fee_income C fee. Any other posts nothing.
     *  - CAPTURE (CAPTURED; at most one, of a MANUAL authorization): amount is the amount captured, posted as a
     *    sale's: cardholder_funding D amount, merchant_payable C amount - fee, fee_income C fee.
     *  - REFUND (PARTIALLY_REFUNDED or REFUNDED): amount is the amount refunded: merchant_payable D amount,
     *    cardholder_funding C amount. Fees are not returned: a refund never touches fee_income.
     *  - VOID (VOIDED) and EXPIRY (EXPIRED): amount is the AUTHORIZED amount released; they post nothing.
     *  - DISPUTE_* (the payment's status, unchanged; DisputeLifecycle through DisputeDesk): amount is the dispute's.
     *    OPENED: merchant_payable D, dispute C; WON: dispute D, merchant_payable C; LOST and ACCEPTED: dispute D,
     *    cardholder_funding C, and a dispute fee merchant_payable D / fee_income C; EVIDENCE posts nothing.
     * A leg of 0 is not written (no fee: no fee_income leg; a fee of the whole amount: no merchant_payable leg).
     * The fee is priced from the fee schedule, which is configuration, not data: it is checked per payment
     * (fee_amount vs fee_income postings, amounts_vs_postings), not per event.
     */
    private static final String PROBLEMS = """
            WITH legs AS (
              -- each event's postings per account and direction; whatever else, which the writers never post, in words
              SELECT payment_id, event_seq, count(*) AS n, sum(amount) FILTER (WHERE direction = 'D') AS debits,
                     coalesce(sum(amount) FILTER (WHERE account = 'cardholder_funding' AND direction = 'D'), 0) AS cf_d,
                     coalesce(sum(amount) FILTER (WHERE account = 'cardholder_funding' AND direction = 'C'), 0) AS cf_c,
                     coalesce(sum(amount) FILTER (WHERE account = 'merchant_payable' AND direction = 'D'), 0) AS mp_d,
                     coalesce(sum(amount) FILTER (WHERE account = 'merchant_payable' AND direction = 'C'), 0) AS mp_c,
                     coalesce(sum(amount) FILTER (WHERE account = 'fee_income' AND direction = 'C'), 0) AS fi_c,
                     coalesce(sum(amount) FILTER (WHERE account = 'dispute' AND direction = 'D'), 0) AS ds_d,
                     coalesce(sum(amount) FILTER (WHERE account = 'dispute' AND direction = 'C'), 0) AS ds_c,
                     string_agg(account || ' ' || direction || ' ' || amount, ', ')
                       FILTER (WHERE (account, direction) NOT IN (('cardholder_funding', 'D'), ('cardholder_funding', 'C'),
                                      ('merchant_payable', 'D'), ('merchant_payable', 'C'), ('fee_income', 'C'),
                                      ('dispute', 'D'), ('dispute', 'C'))) AS other,
                     min(merchant_id) AS min_merchant, max(merchant_id) AS max_merchant,
                     min(currency) AS min_currency, max(currency) AS max_currency
              FROM postings GROUP BY payment_id, event_seq
            ), dispute_events AS (
              -- per payment, its dispute events (rows only: lifecycle events are few beside authorizations) and the
              -- fees their postings charged
              SELECT e.payment_id, count(*) FILTER (WHERE e.type = 'DISPUTE_OPENED') AS opened_count,
                     coalesce(sum(e.amount) FILTER (WHERE e.type = 'DISPUTE_OPENED'), 0) AS opened,
                     coalesce(sum(e.amount) FILTER (WHERE e.type = 'DISPUTE_WON'), 0) AS won,
                     coalesce(sum(e.amount) FILTER (WHERE e.type IN ('DISPUTE_LOST', 'DISPUTE_ACCEPTED')), 0) AS lost,
                     coalesce(sum(f.amount), 0) AS fees
              FROM payment_event_rows e
              LEFT JOIN posting_rows f ON f.payment_id = e.payment_id AND f.event_seq = e.seq AND f.account = 'fee_income'
              WHERE e.type LIKE 'DISPUTE\\_%'
              GROUP BY e.payment_id
            ), joined AS (
              -- every event with its payment and its postings, and every event's postings without that event
              SELECT coalesce(e.payment_id, l.payment_id) AS payment_id, coalesce(e.seq, l.event_seq) AS seq,
                     e.seq IS NOT NULL AS known, e.type, e.status, e.amount, p.merchant_id, p.currency,
                     p.amount AS authorized, p.capture_mode,
                     CASE WHEN e.type IN ('CAPTURE', 'REFUND', 'DISPUTE_OPENED', 'DISPUTE_WON', 'DISPUTE_LOST',
                                          'DISPUTE_ACCEPTED') THEN e.amount
                          WHEN e.type = 'AUTHORIZATION' AND p.capture_mode = 'AUTO' AND e.status IN ('APPROVED', 'REVIEW')
                          THEN e.amount ELSE 0 END AS moves,
                     l.n, l.debits, coalesce(l.cf_d, 0) AS cf_d, coalesce(l.cf_c, 0) AS cf_c, coalesce(l.mp_d, 0) AS mp_d,
                     coalesce(l.mp_c, 0) AS mp_c, coalesce(l.fi_c, 0) AS fi_c, coalesce(l.ds_d, 0) AS ds_d,
                     coalesce(l.ds_c, 0) AS ds_c,
                     l.min_merchant, l.max_merchant, l.min_currency, l.max_currency,
                     concat_ws(', ',
                       CASE WHEN l.cf_d > 0 AND e.type NOT IN ('AUTHORIZATION', 'CAPTURE') THEN 'cardholder_funding D ' || l.cf_d END,
                       CASE WHEN l.mp_c > 0 AND e.type NOT IN ('AUTHORIZATION', 'CAPTURE', 'DISPUTE_WON') THEN
                         'merchant_payable C ' || l.mp_c END,
                       CASE WHEN l.fi_c > 0 AND e.type NOT IN ('AUTHORIZATION', 'CAPTURE', 'DISPUTE_LOST', 'DISPUTE_ACCEPTED') THEN
                         'fee_income C ' || l.fi_c END,
                       CASE WHEN l.mp_d > 0 AND e.type NOT IN ('REFUND', 'DISPUTE_OPENED', 'DISPUTE_LOST', 'DISPUTE_ACCEPTED') THEN
                         'merchant_payable D ' || l.mp_d END,
                       CASE WHEN l.cf_c > 0 AND e.type NOT IN ('REFUND', 'DISPUTE_LOST', 'DISPUTE_ACCEPTED') THEN
                         'cardholder_funding C ' || l.cf_c END,
                       CASE WHEN l.ds_c > 0 AND e.type <> 'DISPUTE_OPENED' THEN 'dispute C ' || l.ds_c END,
                       CASE WHEN l.ds_d > 0 AND e.type NOT IN ('DISPUTE_WON', 'DISPUTE_LOST', 'DISPUTE_ACCEPTED') THEN
                         'dispute D ' || l.ds_d END,
                       l.other) AS foreign_legs
              -- events joined to their payments first: merge joins in payment id order over the primary keys, no hash
              -- spilled to disk; an event or posting without its payment is an orphan_* problem instead
              FROM payment_events e
              JOIN payments p ON p.id = e.payment_id
              FULL JOIN legs l ON l.payment_id = e.payment_id AND l.event_seq = e.seq
              WHERE e.seq IS NOT NULL OR EXISTS (SELECT 1 FROM payments o WHERE o.id = l.payment_id)
            ), checked AS (
              SELECT x.payment_id, x.seq,
                     CASE WHEN NOT x.known THEN
                        x.n || ' postings (debits ' || x.debits || ') of an event #' || x.seq || ' the payment does not have' END AS posting_without_event,
                     CASE
                        WHEN NOT x.known THEN NULL
                        WHEN x.type NOT IN ('AUTHORIZATION', 'CAPTURE', 'REFUND', 'VOID', 'EXPIRY', 'DISPUTE_OPENED',
                                            'DISPUTE_EVIDENCE', 'DISPUTE_ACCEPTED', 'DISPUTE_WON', 'DISPUTE_LOST') THEN
                          'unknown event type ' || x.type || ' (the processor writes AUTHORIZATION, CAPTURE, REFUND, VOID, EXPIRY'
                          || ' and DISPUTE_OPENED, DISPUTE_EVIDENCE, DISPUTE_ACCEPTED, DISPUTE_WON, DISPUTE_LOST)'
                        WHEN (x.seq = 1) <> (x.type = 'AUTHORIZATION') THEN
                          'event #' || x.seq || ' is ' || x.type || ': a payment''s first event, and only that one, is its AUTHORIZATION'
                        WHEN NOT CASE x.type WHEN 'AUTHORIZATION' THEN x.status IN ('APPROVED', 'REVIEW', 'DECLINED', 'CHALLENGE')
                                             WHEN 'CAPTURE' THEN x.status = 'CAPTURED' WHEN 'VOID' THEN x.status = 'VOIDED'
                                             WHEN 'EXPIRY' THEN x.status = 'EXPIRED'
                                             WHEN 'REFUND' THEN x.status IN ('PARTIALLY_REFUNDED', 'REFUNDED')
                                             -- a dispute step leaves the payment's status as it was, with money captured
                                             ELSE x.status IN ('APPROVED', 'REVIEW', 'CAPTURED', 'PARTIALLY_REFUNDED',
                                                               'REFUNDED') END THEN
                          'a ' || x.type || ' event with status ' || x.status || ', which that type of event never sets'
                        END AS event_type_vs_status,
                     -- AUTHORIZATION, VOID and EXPIRY events carry the payment's authorized amount, not the money moved
                     CASE WHEN x.type IN ('AUTHORIZATION', 'VOID', 'EXPIRY') AND x.amount <> x.authorized THEN
                        'a ' || x.type || ' event carries the authorized amount: it says ' || x.amount
                        || ', the payment was authorized for ' || x.authorized END AS event_amount_vs_payment,
                     CASE
                        WHEN x.type IN ('AUTHORIZATION', 'CAPTURE') AND (x.cf_d <> x.moves OR x.mp_c + x.fi_c <> x.moves) THEN
                          x.type || ' of ' || x.amount
                          || CASE x.type WHEN 'AUTHORIZATION' THEN ' (' || x.status || ', ' || x.capture_mode || ' capture)' ELSE '' END
                          || ' must debit cardholder_funding ' || x.moves || ' and credit merchant_payable + fee_income ' || x.moves
                          || '; its postings debit cardholder_funding ' || x.cf_d || ' and credit merchant_payable ' || x.mp_c
                          || ' + fee_income ' || x.fi_c
                        WHEN x.type = 'REFUND' AND (x.mp_d <> x.moves OR x.cf_c <> x.moves) THEN
                          'REFUND of ' || x.amount || ' must debit merchant_payable ' || x.moves || ' and credit cardholder_funding '
                          || x.moves || '; its postings debit merchant_payable ' || x.mp_d || ' and credit cardholder_funding ' || x.cf_c
                        WHEN x.type = 'DISPUTE_OPENED' AND (x.mp_d <> x.moves OR x.ds_c <> x.moves) THEN
                          'DISPUTE_OPENED of ' || x.amount || ' must debit merchant_payable ' || x.moves || ' and credit dispute '
                          || x.moves || '; its postings debit merchant_payable ' || x.mp_d || ' and credit dispute ' || x.ds_c
                        WHEN x.type = 'DISPUTE_WON' AND (x.ds_d <> x.moves OR x.mp_c <> x.moves) THEN
                          'DISPUTE_WON of ' || x.amount || ' must debit dispute ' || x.moves || ' and credit merchant_payable '
                          || x.moves || '; its postings debit dispute ' || x.ds_d || ' and credit merchant_payable ' || x.mp_c
                        WHEN x.type IN ('DISPUTE_LOST', 'DISPUTE_ACCEPTED') AND (x.ds_d <> x.moves OR x.cf_c <> x.moves
                                                                                 OR x.mp_d <> x.fi_c) THEN
                          x.type || ' of ' || x.amount || ' must debit dispute ' || x.moves || ' and credit cardholder_funding '
                          || x.moves || ', and debit merchant_payable the fee it credits fee_income; its postings debit dispute '
                          || x.ds_d || ', credit cardholder_funding ' || x.cf_c || ', debit merchant_payable ' || x.mp_d
                          || ' and credit fee_income ' || x.fi_c
                        END AS event_amount_vs_postings,
                     CASE WHEN x.known AND x.foreign_legs <> '' THEN
                        x.type || ' event posted ' || x.foreign_legs || ', which it never posts: '
                        || CASE WHEN x.type IN ('AUTHORIZATION', 'CAPTURE') THEN 'it debits cardholder_funding and credits merchant_payable and fee_income'
                                WHEN x.type = 'REFUND' THEN 'it debits merchant_payable and credits cardholder_funding'
                                WHEN x.type = 'DISPUTE_OPENED' THEN 'it debits merchant_payable and credits dispute'
                                WHEN x.type = 'DISPUTE_WON' THEN 'it debits dispute and credits merchant_payable'
                                WHEN x.type IN ('DISPUTE_LOST', 'DISPUTE_ACCEPTED') THEN
                                  'it debits dispute and credits cardholder_funding, and charges its fee from merchant_payable to fee_income'
                                ELSE 'it moves no money' END END AS posting_account_vs_event,
                     CASE WHEN x.min_merchant <> x.merchant_id OR x.max_merchant <> x.merchant_id THEN
                        'postings booked to merchant ' || CASE WHEN x.min_merchant <> x.merchant_id THEN x.min_merchant ELSE x.max_merchant END
                        || ', the payment is merchant ' || x.merchant_id || '''s' END AS posting_merchant_vs_payment,
                     CASE WHEN x.min_currency <> x.currency OR x.max_currency <> x.currency THEN
                        'postings in ' || CASE WHEN x.min_currency <> x.currency THEN x.min_currency ELSE x.max_currency END
                        || ', the payment is in ' || x.currency END AS posting_currency_vs_payment
              FROM joined x
            )
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
                   || ', refunded ' || p.refunded_amount || ' vs postings ' || coalesce(x.refunded, 0) - coalesce(de.lost, 0)
                   || ', fee ' || p.fee_amount || ' vs postings ' || coalesce(x.fees, 0) - coalesce(de.fees, 0)
            FROM payments p
            LEFT JOIN (SELECT payment_id,
                              sum(amount) FILTER (WHERE account = 'cardholder_funding' AND direction = 'D') AS captured,
                              sum(amount) FILTER (WHERE account = 'cardholder_funding' AND direction = 'C') AS refunded,
                              sum(amount) FILTER (WHERE account = 'fee_income' AND direction = 'C') AS fees
                       FROM postings GROUP BY payment_id) x ON x.payment_id = p.id
            -- a lost (or accepted) dispute credits cardholder_funding and its fee fee_income: not a refund, not a capture fee
            LEFT JOIN dispute_events de ON de.payment_id = p.id
            WHERE p.captured_amount <> coalesce(x.captured, 0) OR p.refunded_amount <> coalesce(x.refunded, 0) - coalesce(de.lost, 0)
               OR p.fee_amount <> coalesce(x.fees, 0) - coalesce(de.fees, 0)
            UNION ALL
            -- what a payment's disputes hold, from its dispute events, in its row and in its dispute rows
            SELECT 'disputes_vs_events', p.id,
                   'disputed ' || p.disputed_amount || ', its dispute rows hold ' || coalesce(d.held, 0) || ' in '
                   || coalesce(d.n, 0) || ' disputes (fees ' || coalesce(d.fees, 0) || '); its events opened '
                   || coalesce(de.opened_count, 0) || ' disputes of ' || coalesce(de.opened, 0) || ', won '
                   || coalesce(de.won, 0) || ' (fees ' || coalesce(de.fees, 0) || ')'
            FROM payments p
            LEFT JOIN dispute_events de ON de.payment_id = p.id
            LEFT JOIN (SELECT payment_id, count(*) AS n, sum(amount) FILTER (WHERE status <> 'WON') AS held, sum(fee) AS fees
                       FROM disputes GROUP BY payment_id) d ON d.payment_id = p.id
            WHERE (de.payment_id IS NOT NULL OR d.payment_id IS NOT NULL OR p.disputed_amount <> 0)
              AND (p.disputed_amount <> coalesce(de.opened, 0) - coalesce(de.won, 0)
                   OR coalesce(d.held, 0) <> p.disputed_amount OR coalesce(d.n, 0) <> coalesce(de.opened_count, 0)
                   OR coalesce(d.fees, 0) <> coalesce(de.fees, 0))
            UNION ALL
            SELECT 'settlement_vs_postings', s.id,
                   'settled ' || s.capture_count || ' captures ' || s.capture_amount || ' / ' || s.refund_count || ' refunds '
                   || s.refund_amount || ' / fees ' || s.fee_amount || ' / ' || s.dispute_count || ' disputes '
                   || s.dispute_amount || ' won ' || s.dispute_won_amount || ' lost ' || s.dispute_lost_amount
                   || '; the day''s postings now: ' || t.cc || ' / ' || t.ca || ' / ' || t.rc || ' / ' || t.ra || ' / ' || t.fa
                   || ' / ' || t.dc || ' / ' || t.da || ' / ' || t.dw || ' / ' || t.dl
            FROM settlements s
            CROSS JOIN LATERAL (
              SELECT count(*) FILTER (WHERE account = 'cardholder_funding' AND direction = 'D') AS cc,
                     coalesce(sum(amount) FILTER (WHERE account = 'cardholder_funding' AND direction = 'D'), 0) AS ca,
                     count(*) FILTER (WHERE account = 'cardholder_funding' AND direction = 'C' AND NOT lost) AS rc,
                     coalesce(sum(amount) FILTER (WHERE account = 'cardholder_funding' AND direction = 'C' AND NOT lost), 0) AS ra,
                     coalesce(sum(amount) FILTER (WHERE account = 'fee_income' AND direction = 'C'), 0) AS fa,
                     count(*) FILTER (WHERE account = 'dispute' AND direction = 'C') AS dc,
                     coalesce(sum(amount) FILTER (WHERE account = 'dispute' AND direction = 'C'), 0) AS da,
                     coalesce(sum(amount) FILTER (WHERE account = 'dispute' AND direction = 'D'), 0)
                       - coalesce(sum(amount) FILTER (WHERE lost), 0) AS dw,
                     coalesce(sum(amount) FILTER (WHERE lost), 0) AS dl
              FROM (SELECT p.account, p.direction, p.amount,
                           -- a credit of cardholder_funding by a dispute's event (it has a dispute leg) is a dispute lost
                           CASE WHEN p.account = 'cardholder_funding' AND p.direction = 'C' THEN
                             EXISTS (SELECT 1 FROM posting_rows d WHERE d.payment_id = p.payment_id
                                       AND d.event_seq = p.event_seq AND d.account = 'dispute')
                           ELSE false END AS lost
                    FROM postings p
                    WHERE p.merchant_id = s.merchant_id AND p.currency = s.currency
                      AND p.account IN ('cardholder_funding', 'fee_income', 'dispute')
                      AND p.created_at >= (s.business_date::timestamp AT TIME ZONE 'UTC')
                      AND p.created_at < ((s.business_date + 1)::timestamp AT TIME ZONE 'UTC')) day) t
            WHERE (s.capture_count, s.capture_amount, s.refund_count, s.refund_amount, s.fee_amount, s.dispute_count,
                   s.dispute_amount, s.dispute_won_amount, s.dispute_lost_amount)
                  <> (t.cc, t.ca, t.rc, t.ra, t.fa, t.dc, t.da, t.dw, t.dl)
            UNION ALL
            SELECT 'orphan_event', e.payment_id || '#' || e.seq, 'event ' || e.type || ' of a payment that does not exist'
            FROM payment_events e WHERE NOT EXISTS (SELECT 1 FROM payments p WHERE p.id = e.payment_id)
            UNION ALL
            SELECT 'orphan_posting', o.payment_id || '#' || o.event_seq || '#' || o.leg, o.account || ' posting of a payment that does not exist'
            FROM postings o WHERE NOT EXISTS (SELECT 1 FROM payments p WHERE p.id = o.payment_id)
            UNION ALL
            SELECT 'orphan_dispute', d.id, 'dispute of a payment that does not exist'
            FROM disputes d WHERE NOT EXISTS (SELECT 1 FROM payments p WHERE p.id = d.payment_id)
            UNION ALL
            SELECT 'orphan_payment', p.id, 'merchant ' || p.merchant_id || ' does not exist'
            FROM payments p WHERE NOT EXISTS (SELECT 1 FROM merchants m WHERE m.id = p.merchant_id)
            UNION ALL
            SELECT 'orphan_card', c.token, 'merchant ' || c.merchant_id || ' does not exist'
            FROM cards c WHERE NOT EXISTS (SELECT 1 FROM merchants m WHERE m.id = c.merchant_id)
            UNION ALL
            SELECT c.name, x.payment_id || '#' || x.seq, c.detail
            FROM checked x
            CROSS JOIN LATERAL (VALUES ('posting_without_event', x.posting_without_event),
                                       ('event_type_vs_status', x.event_type_vs_status),
                                       ('event_amount_vs_payment', x.event_amount_vs_payment),
                                       ('event_amount_vs_postings', x.event_amount_vs_postings),
                                       ('posting_account_vs_event', x.posting_account_vs_event),
                                       ('posting_merchant_vs_payment', x.posting_merchant_vs_payment),
                                       ('posting_currency_vs_payment', x.posting_currency_vs_payment)) AS c(name, detail)
            -- only the rare event with a problem is unfolded into one row per check
            WHERE coalesce(x.posting_without_event, x.event_type_vs_status, x.event_amount_vs_payment,
                           x.event_amount_vs_postings, x.posting_account_vs_event, x.posting_merchant_vs_payment,
                           x.posting_currency_vs_payment) IS NOT NULL
              AND c.detail IS NOT NULL
            UNION ALL
            -- per payment, from its events: its status is its last event's; its captured_amount is what its approved sale's
            -- AUTHORIZATION or its CAPTURE captured, its refunded_amount what its REFUNDs refunded (one pass over the events)
            SELECT c.name, x.id, c.detail
            FROM (SELECT p.id,
                         CASE WHEN a.last_status IS DISTINCT FROM p.status THEN
                           'payment is ' || p.status || ', its last event says ' || coalesce(a.last_status, 'nothing') END AS status_vs_events,
                         CASE WHEN p.captured_amount <> e.captured OR p.refunded_amount <> e.refunded OR e.refunded > e.captured
                                   OR e.captured > p.amount THEN
                           'captured ' || p.captured_amount || ' vs its events ' || e.captured || ', refunded ' || p.refunded_amount
                           || ' vs its events ' || e.refunded || ', authorized ' || p.amount
                           || CASE WHEN e.refunded > e.captured THEN ': its events refund more than they capture'
                                   WHEN e.captured > p.amount THEN ': its events capture more than was authorized' ELSE '' END
                           END AS amounts_vs_events
                  FROM payments p
                  LEFT JOIN (SELECT payment_id,
                                    -- the status of its last event: the highest seq, zero-padded to sort as text, then its status
                                    substr(max(lpad(seq::text, 10, '0') || status), 11) AS last_status,
                                    sum(amount) FILTER (WHERE type = 'CAPTURE') AS captures,
                                    sum(amount) FILTER (WHERE type = 'AUTHORIZATION' AND status IN ('APPROVED', 'REVIEW')) AS sales,
                                    sum(amount) FILTER (WHERE type = 'REFUND') AS refunds
                             FROM payment_events GROUP BY payment_id) a ON a.payment_id = p.id
                  CROSS JOIN LATERAL (
                    SELECT coalesce(a.captures, 0) + CASE WHEN p.capture_mode = 'AUTO' THEN coalesce(a.sales, 0) ELSE 0 END AS captured,
                           coalesce(a.refunds, 0) AS refunded) e) x
            CROSS JOIN LATERAL (VALUES ('status_vs_events', x.status_vs_events), ('amounts_vs_events', x.amounts_vs_events)) AS c(name, detail)
            WHERE coalesce(x.status_vs_events, x.amounts_vs_events) IS NOT NULL AND c.detail IS NOT NULL
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
