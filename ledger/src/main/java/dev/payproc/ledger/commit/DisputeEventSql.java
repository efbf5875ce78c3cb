package dev.payproc.ledger.commit;

import dev.payproc.core.model.Posting;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Tuple;
import java.util.List;

/**
 * The statement that writes one dispute step on its payment: the payment's disputed amount, the step's event (with
 * its merchant's next feed sequence, {@link FeedSql}), its postings and the stored answer under the caller's
 * idempotency key, all sealed together ({@link EventSealSql}, a version 3 seal) in the chain {@link #CHAIN}. The
 * dispute desk runs it inside the transaction that locked the payment and holds the chain's advisory lock.
 */
public final class DisputeEventSql {
    /** The one seal chain of dispute steps, shared by every process: they extend it one at a time. */
    public static final String CHAIN = "disputes";

    /** One dispute step as the statement writes it. */
    public record Step(
            String paymentId,
            long disputedChange,
            int eventSeq,
            String eventType,
            String paymentStatus,
            long amount,
            long createdMs,
            String merchantId,
            String currency,
            List<Posting> postings,
            String idempotencyKey,
            byte[] requestHash,
            int responseStatus,
            String responseBody) {}

    public static final String WRITE = """
            WITH u AS (
              UPDATE payments SET disputed_amount = disputed_amount + $2 WHERE id = $1
            ), event_input AS (
              SELECT $1::text AS payment_id, $3::int AS seq, $4::text AS type, $5::text AS status, $6::bigint AS amount,
                     timestamptz 'epoch' + $7::bigint * interval '1 millisecond' AS created_at, $8::text AS merchant_id
            ), """ + FeedSql.take("event_input") + """
            , sealed_events AS (
              SELECT e.*, s.first_seq AS feed_seq FROM event_input e JOIN sealed_feed s USING (merchant_id)
            ), sealed_postings AS (
              SELECT $1::text AS payment_id, $3::int AS event_seq, leg, account, $8::text AS merchant_id, direction, amount,
                     $9::text AS currency, $7::bigint AS created_ms
              FROM unnest($10::int[], $11::text[], $12::text[], $13::bigint[]) AS t(leg, account, direction, amount)
            ), """ + EventSealSql.NO_PAYMENTS + """
            , sealed_keys AS (
              SELECT $8::text AS merchant_id, $14::text AS idempotency_key, $15::bytea AS request_hash, $1::text AS payment_id,
                     $16::int AS response_status, $17::text AS response_body, $7::bigint AS created_ms
            ), """
            + EventSealSql.sealWithFeed(18, 19, 20, 21)
            + ", " + EventSealSql.insertEvents(18, 19) + ", " + EventSealSql.insertPostingsAndKeys(18, 19, "")
            + """

            SELECT 1""";

    /** The seq of the chain's newest seal (0 for none): read under the chain's advisory lock. */
    public static final String HEAD = "SELECT coalesce(max(seq), 0) FROM event_seals WHERE chain_id = '" + CHAIN + "'";

    private DisputeEventSql() {}

    public static Tuple params(Step s, SealLink seal) {
        int n = s.postings().size();
        Integer[] legs = new Integer[n];
        String[] accounts = new String[n];
        String[] directions = new String[n];
        Long[] amounts = new Long[n];
        for (int i = 0; i < n; i++) {
            Posting p = s.postings().get(i);
            legs[i] = i + 1;
            accounts[i] = p.account();
            directions[i] = String.valueOf(p.direction());
            amounts[i] = p.amount();
        }
        return Tuple.tuple()
                .addValue(s.paymentId())
                .addValue(s.disputedChange())
                .addValue(s.eventSeq())
                .addValue(s.eventType())
                .addValue(s.paymentStatus())
                .addValue(s.amount())
                .addValue(s.createdMs())
                .addValue(s.merchantId())
                .addValue(s.currency())
                .addValue(legs)
                .addValue(accounts)
                .addValue(directions)
                .addValue(amounts)
                .addValue(s.idempotencyKey())
                .addValue(Buffer.buffer(s.requestHash()))
                .addValue(s.responseStatus())
                .addValue(s.responseBody())
                .addValue(seal.chain())
                .addValue(seal.seq())
                .addValue(seal.innerPad())
                .addValue(seal.outerPad());
    }
}
