package dev.payproc.ledger.read;

import dev.payproc.core.port.EventFeed;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a merchant's feed (V18) from the base tables, never the {@code payment_events} view: the authorization
 * events from {@code payments}, the others from {@code payment_event_rows}, each through its (merchant_id, feed_seq)
 * index, then each page's payments by id. One statement, one snapshot: the page and the head agree, and since a
 * merchant's commits follow each other on its head row, a page never skips a sequence that commits later.
 */
public final class FeedQueries implements EventFeed {
    private static final String PAGE = """
            WITH page AS (
              (SELECT id AS payment_id, 1 AS seq, 'AUTHORIZATION'::text AS type, auth_status AS status, amount, created_at,
                      feed_seq
               FROM payments WHERE merchant_id = $1 AND feed_seq > $2 ORDER BY feed_seq LIMIT $3)
              UNION ALL
              (SELECT payment_id, seq, type, status, amount, created_at, feed_seq
               FROM payment_event_rows WHERE merchant_id = $1 AND feed_seq > $2 ORDER BY feed_seq LIMIT $3)
              ORDER BY feed_seq LIMIT $3
            )
            SELECT e.feed_seq, e.type, e.payment_id, e.seq, e.status, e.amount, p.currency, p.amount AS payment_amount,
                   p.capture_mode, p.terminal_id, CASE WHEN e.type = 'AUTHORIZATION' THEN p.reasons ELSE '[]' END AS reasons,
                   e.created_at,
                   (SELECT head FROM merchant_feed_heads WHERE merchant_id = $1) AS head
            FROM page e JOIN payments p ON p.id = e.payment_id
            UNION ALL
            SELECT NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
                   (SELECT head FROM merchant_feed_heads WHERE merchant_id = $1)
            ORDER BY 1 NULLS LAST""";

    private static final String HEADS =
            "SELECT merchant_id, head FROM merchant_feed_heads WHERE merchant_id = ANY($1::text[])";

    private final Pool pool;

    public FeedQueries(Pool pool) {
        this.pool = pool;
    }

    @Override
    public Future<Page> page(String merchantId, long after, int limit) {
        return pool.preparedQuery(PAGE)
                .execute(Tuple.of(merchantId, after, limit))
                .map(rows -> {
                    List<FeedEvent> events = new ArrayList<>(rows.size());
                    long head = 0;
                    for (Row r : rows) {
                        Long h = r.getLong("head");
                        head = h == null ? 0 : h;
                        if (r.getLong("feed_seq") == null) continue; // the head's own row, last
                        events.add(new FeedEvent(
                                r.getLong("feed_seq"),
                                r.getString("type"),
                                r.getString("payment_id"),
                                r.getInteger("seq"),
                                r.getString("status"),
                                r.getLong("amount"),
                                r.getString("currency"),
                                r.getLong("payment_amount"),
                                r.getString("capture_mode"),
                                r.getString("terminal_id"),
                                PaymentQueries.reasons(r),
                                r.getOffsetDateTime("created_at").toInstant()));
                    }
                    return new Page(events, head);
                });
    }

    @Override
    public Future<Map<String, Long>> heads(List<String> merchantIds) {
        return pool.preparedQuery(HEADS)
                .execute(Tuple.tuple().addValue(merchantIds.toArray(String[]::new)))
                .map(rows -> {
                    Map<String, Long> heads = new HashMap<>();
                    for (String m : merchantIds) heads.put(m, 0L);
                    for (Row r : rows) heads.put(r.getString(0), r.getLong(1));
                    return heads;
                });
    }
}
