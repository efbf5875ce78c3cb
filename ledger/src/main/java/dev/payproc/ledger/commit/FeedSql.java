package dev.payproc.ledger.commit;

/**
 * The part of a batch statement that takes each merchant's next feed sequences ({@code V18__merchant_event_feed.sql}):
 * one upsert of {@code merchant_feed_heads} per statement, a row per merchant of the batch in merchant order (so two
 * batches lock the same heads in the same order and cannot deadlock). Its row locks last until the commit: the
 * commits of one merchant follow each other, so its sequences are committed, and become visible, in order, and a
 * batch rolled back gives its sequences back. {@code sealed_feed(merchant_id, first_seq, n)} is what the batch took:
 * its events of that merchant are numbered {@code first_seq ..} in (created_at, payment id, event seq) order.
 */
final class FeedSql {
    private FeedSql() {}

    /** The CTEs {@code feed_counts}, {@code feed_heads} and {@code sealed_feed} for the events of {@code source}. */
    static String take(String source) {
        return """
                feed_counts AS (
                  SELECT merchant_id, count(*) AS n FROM $SRC GROUP BY merchant_id
                ), feed_heads AS (
                  INSERT INTO merchant_feed_heads AS h (merchant_id, head)
                  SELECT merchant_id, n FROM feed_counts ORDER BY merchant_id
                  ON CONFLICT (merchant_id) DO UPDATE SET head = h.head + excluded.head
                  RETURNING merchant_id, head
                ), sealed_feed AS (
                  SELECT merchant_id, head - n + 1 AS first_seq, n FROM feed_heads JOIN feed_counts USING (merchant_id)
                )""".replace("$SRC", source);
    }
}
