package dev.payproc.ledger.settlement;

import dev.payproc.core.port.Settlements;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Daily settlement reports and runs, both computed from the ledger's postings of one UTC business day: a
 * debit of {@code cardholder_funding} is money captured (a sale or a capture), a credit there is a refund,
 * a credit of {@code fee_income} is the fee charged (for captures and lost disputes), and the dispute account's
 * postings are disputes opened, won and lost; the merchant's net is what moved on its payable account. So a report's totals are the ledger's totals, by construction and by reconciliation.
 */
public final class SettlementReports implements Settlements {

    /**
     * A day's totals per merchant and currency. A credit of cardholder_funding is a refund, unless its event is a
     * dispute's (it has a leg on the dispute account): then it is a dispute lost (or accepted). A credit of the dispute
     * account is a dispute opened; its debits are disputes closed, won unless lost.
     */
    static String dayTotals(String merchantFilter) {
        return """
                SELECT merchant_id, currency,
                       count(*) FILTER (WHERE account = 'cardholder_funding' AND direction = 'D') AS capture_count,
                       coalesce(sum(amount) FILTER (WHERE account = 'cardholder_funding' AND direction = 'D'), 0) AS capture_amount,
                       count(*) FILTER (WHERE account = 'cardholder_funding' AND direction = 'C' AND NOT lost) AS refund_count,
                       coalesce(sum(amount) FILTER (WHERE account = 'cardholder_funding' AND direction = 'C' AND NOT lost), 0)
                         AS refund_amount,
                       coalesce(sum(amount) FILTER (WHERE account = 'fee_income' AND direction = 'C'), 0) AS fee_amount,
                       count(*) FILTER (WHERE account = 'dispute' AND direction = 'C') AS dispute_count,
                       coalesce(sum(amount) FILTER (WHERE account = 'dispute' AND direction = 'C'), 0) AS dispute_amount,
                       coalesce(sum(amount) FILTER (WHERE account = 'dispute' AND direction = 'D'), 0)
                         - coalesce(sum(amount) FILTER (WHERE lost), 0) AS dispute_won_amount,
                       coalesce(sum(amount) FILTER (WHERE lost), 0) AS dispute_lost_amount
                FROM (SELECT o.merchant_id, o.currency, o.account, o.direction, o.amount,
                             CASE WHEN o.account = 'cardholder_funding' AND o.direction = 'C' THEN
                               EXISTS (SELECT 1 FROM posting_rows d WHERE d.payment_id = o.payment_id
                                         AND d.event_seq = o.event_seq AND d.account = 'dispute')
                             ELSE false END AS lost
                      FROM postings o
                      WHERE o.account IN ('cardholder_funding', 'fee_income', 'dispute')
                        AND o.created_at >= $1 AND o.created_at < $1 + interval '1 day' $M) day
                GROUP BY merchant_id, currency""".replace("$M", merchantFilter);
    }

    private static final String REPORT_TOTALS = dayTotals("AND o.merchant_id = $2");

    private static final String REPORT_SETTLED = """
            SELECT currency, id, net_amount FROM settlements WHERE merchant_id = $1 AND business_date = $2""";

    private static final String REPORT_PAYMENTS = """
            SELECT DISTINCT payment_id FROM postings
            WHERE account IN ('cardholder_funding', 'dispute') AND merchant_id = $2 AND created_at >= $1 AND created_at < $1 + interval '1 day'
            ORDER BY payment_id""";

    /**
     * Settles a day for every merchant (or one) not settled yet, in one statement: the settlement rows and
     * their balanced postings (payable -> settled for a positive net, the reverse for a negative one).
     */
    private static final String RUN =
            "WITH day AS (" + dayTotals("AND ($3::text IS NULL OR o.merchant_id = $3)") + "), " + """
            ins AS (
              INSERT INTO settlements (id, merchant_id, business_date, currency, capture_count, capture_amount,
                                       refund_count, refund_amount, fee_amount, dispute_count, dispute_amount,
                                       dispute_won_amount, dispute_lost_amount, net_amount)
              SELECT 'stl_' || substr(md5(merchant_id || '/' || $2::text || '/' || currency), 1, 24), merchant_id, $2::date,
                     currency, capture_count, capture_amount, refund_count, refund_amount, fee_amount, dispute_count,
                     dispute_amount, dispute_won_amount, dispute_lost_amount,
                     capture_amount - fee_amount - refund_amount - dispute_amount + dispute_won_amount
              FROM day
              -- No target: a concurrent run inserting the same day trips the primary key (the id is derived from
              -- the same three columns) as often as the (merchant, day, currency) key; either means settled once.
              ON CONFLICT DO NOTHING
              RETURNING id, merchant_id, currency, net_amount
            ), post AS (
              INSERT INTO settlement_postings (settlement_id, leg, account, merchant_id, direction, amount, currency, created_at)
              SELECT ins.id, l.leg, l.account, ins.merchant_id,
                     CASE WHEN (ins.net_amount > 0) = l.payable_side THEN 'D' ELSE 'C' END,
                     abs(ins.net_amount), ins.currency, now()
              FROM ins CROSS JOIN (VALUES (1, 'merchant_payable', true), (2, 'merchant_settled', false)) AS l(leg, account, payable_side)
              WHERE ins.net_amount <> 0
            )
            SELECT id, merchant_id, currency, net_amount FROM ins ORDER BY merchant_id, currency""";

    private final Pool pool;

    public SettlementReports(Pool pool) {
        this.pool = pool;
    }

    public Future<Report> report(String merchantId, LocalDate date) {
        Tuple day = Tuple.of(date.atStartOfDay().atOffset(ZoneOffset.UTC), merchantId);
        Future<List<Row>> totals =
                pool.preparedQuery(REPORT_TOTALS).execute(day).map(SettlementReports::rows);
        Future<List<Row>> settled = pool.preparedQuery(REPORT_SETTLED)
                .execute(Tuple.of(merchantId, date))
                .map(SettlementReports::rows);
        Future<List<Row>> payments =
                pool.preparedQuery(REPORT_PAYMENTS).execute(day).map(SettlementReports::rows);
        return Future.all(totals, settled, payments).map(v -> {
            Map<String, Row> settledByCurrency = new LinkedHashMap<>();
            for (Row r : settled.result())
                settledByCurrency.put(r.getString("currency").trim(), r);
            List<CurrencyTotals> currencies = new ArrayList<>();
            for (Row r : totals.result()) {
                String currency = r.getString("currency").trim();
                Row s = settledByCurrency.get(currency);
                currencies.add(new CurrencyTotals(
                        currency,
                        r.getLong("capture_count"),
                        r.getLong("capture_amount"),
                        r.getLong("refund_count"),
                        r.getLong("refund_amount"),
                        r.getLong("fee_amount"),
                        r.getLong("dispute_count"),
                        r.getLong("dispute_amount"),
                        r.getLong("dispute_won_amount"),
                        r.getLong("dispute_lost_amount"),
                        s == null ? null : s.getString("id"),
                        s == null ? null : s.getLong("net_amount")));
            }
            currencies.sort((a, b) -> a.currency().compareTo(b.currency()));
            List<String> ids = new ArrayList<>();
            for (Row r : payments.result()) ids.add(r.getString(0));
            return new Report(merchantId, date, currencies, ids);
        });
    }

    /** Settles {@code date} for one merchant, or all when {@code merchantId} is null; returns what it settled now. */
    public Future<List<Settlement>> run(LocalDate date, String merchantId) {
        return pool.preparedQuery(RUN)
                .execute(Tuple.of(
                        date.atStartOfDay().atOffset(ZoneOffset.UTC),
                        date.toString(),
                        merchantId)) // $2 is text: it names ids too
                .map(rows -> {
                    List<Settlement> out = new ArrayList<>();
                    for (Row r : rows) {
                        out.add(new Settlement(
                                r.getString(0), r.getString(1), r.getString(2).trim(), r.getLong(3)));
                    }
                    return out;
                });
    }

    private static List<Row> rows(Iterable<Row> rows) {
        List<Row> out = new ArrayList<>();
        rows.forEach(out::add);
        return out;
    }
}
