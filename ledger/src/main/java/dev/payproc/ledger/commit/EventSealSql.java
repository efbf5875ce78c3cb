package dev.payproc.ledger.commit;

import dev.payproc.ledger.audit.EventSeals;

/**
 * The part of a batch statement that seals what the batch writes in the writer's chain ({@code V12__keyed_seals.sql}),
 * shared by the authorization, the lifecycle and the legacy statements. For {@link #seal} the statement defines before it
 * {@code sealed_events(payment_id, seq, type, status, amount, created_at)}, {@code sealed_postings(payment_id,
 * event_seq, leg, account, merchant_id, direction, amount, currency, created_ms)}, {@code sealed_payments(id,
 * merchant_id, terminal_id, amount, currency, card_token, card_fingerprint, masked_pan, card_bin, auth_code,
 * capture_mode, created_ms)} and {@code sealed_keys(merchant_id, idempotency_key, request_hash, payment_id,
 * response_status, response_body, created_ms)} (times as epoch milliseconds): every row it writes, each naming this
 * seal; for {@link #sealDigested} (the authorizations) one {@code sealed_digests} row per authorization with the digests
 * the writer computed. The seal is written
 * only when there is a row ({@code seal} returns its seq); its seq and the HMAC pads of its key are parameters
 * ({@link SealLink}), and its link is {@code HMAC(k, prev_hash || digest)} computed with {@code sha256()}. The
 * digests order rows as {@link EventSeals} recomputes them.
 */
public final class EventSealSql {
    private EventSealSql() {}

    /**
     * The seal CTEs over the rows of the sealed_* CTEs, binding the chain, the seq and the two pads as given: a version
     * 2 seal, for rows written before the feed (V18), which carries them forward ({@link EventSeals} checks their feed
     * sequences against the order they were numbered in).
     */
    public static String seal(int chain, int seq, int innerPad, int outerPad) {
        return rowParts("") + link(chain, seq, innerPad, outerPad, 2);
    }

    /**
     * As {@link #seal}, a version 3 seal: also over {@code sealed_feed(merchant_id, first_seq, n)}, the feed sequences
     * the batch took per merchant (V18).
     */
    public static String sealWithFeed(int chain, int seq, int innerPad, int outerPad) {
        return rowParts(" || " + FEED_PART) + link(chain, seq, innerPad, outerPad, 3);
    }

    /** The fifth part of a version 3 seal: each merchant's first feed sequence and count, in merchant order. */
    private static final String FEED_PART =
            "(SELECT sha256(coalesce(string_agg(seal_feed_digest(merchant_id, first_seq, n),"
                    + " ''::bytea ORDER BY merchant_id), ''::bytea)) FROM sealed_feed)";

    private static String rowParts(String feedPart) {
        return """
                batch_parts AS (
                  SELECT e.n AS events, p.n AS postings, a.n AS payments, k.n AS keys,
                         sha256(coalesce(e.agg, ''::bytea)) || sha256(coalesce(p.agg, ''::bytea))
                           || sha256(coalesce(a.agg, ''::bytea)) || sha256(coalesce(k.agg, ''::bytea))$F AS parts
                  FROM (SELECT count(*)::int AS n,
                               string_agg(payment_event_digest(payment_id, seq, type, status, amount, created_at),
                                          ''::bytea ORDER BY payment_id, seq) AS agg
                        FROM sealed_events) e,
                       (SELECT count(*)::int AS n,
                               string_agg(seal_posting_digest(payment_id, event_seq, leg, account, merchant_id, direction,
                                                              amount, currency, created_ms),
                                          ''::bytea ORDER BY payment_id, event_seq, leg) AS agg
                        FROM sealed_postings) p,
                       (SELECT count(*)::int AS n,
                               string_agg(seal_payment_digest(id, merchant_id, terminal_id, amount, currency, card_token,
                                                              card_fingerprint, masked_pan, card_bin, auth_code,
                                                              capture_mode, created_ms),
                                          ''::bytea ORDER BY id) AS agg
                        FROM sealed_payments) a,
                       (SELECT count(*)::int AS n,
                               string_agg(seal_idempotency_digest(merchant_id, idempotency_key, request_hash, payment_id,
                                                                  response_status, response_body, created_ms),
                                          ''::bytea ORDER BY merchant_id, idempotency_key) AS agg
                        FROM sealed_keys) k
                ), """.replace("$F", feedPart);
    }

    /**
     * The seal CTEs over digests the writer computed ({@link RowDigests}), one row per authorization in
     * {@code sealed_digests(payment_id, merchant_id, idempotency_key, event_d, posting_n, posting_d, payment_d, key_d)}:
     * its event's digest, how many postings it has and their digests in leg order, its payment's and its idempotency
     * record's. The rows are ordered here as {@link #seal} orders them, so the seal is the same as if PostgreSQL had
     * computed every digest, and only the rows of the authorizations actually written are sealed. A version 3 seal:
     * also over {@code sealed_feed}, as {@link #sealWithFeed}.
     */
    public static String sealDigested(int chain, int seq, int innerPad, int outerPad) {
        return """
                batch_parts AS (
                  SELECT count(*)::int AS events, coalesce(sum(posting_n), 0)::int AS postings, count(*)::int AS payments,
                         count(*)::int AS keys,
                         sha256(coalesce(string_agg(event_d, ''::bytea ORDER BY payment_id), ''::bytea))
                           || sha256(coalesce(string_agg(posting_d, ''::bytea ORDER BY payment_id), ''::bytea))
                           || sha256(coalesce(string_agg(payment_d, ''::bytea ORDER BY payment_id), ''::bytea))
                           || sha256(coalesce(string_agg(key_d, ''::bytea ORDER BY merchant_id, idempotency_key),
                                              ''::bytea)) || $F AS parts
                  FROM sealed_digests
                ), """.replace("$F", FEED_PART) + link(chain, seq, innerPad, outerPad, 3);
    }

    /** The seal itself: batch_parts' digest linked to the seal before it with the seal's key. */
    private static String link(int chain, int seq, int innerPad, int outerPad, int version) {
        return """
                prev_seal AS (
                  SELECT coalesce((SELECT hash FROM event_seals WHERE chain_id = $C::text AND seq = $S::bigint - 1),
                                  ''::bytea) AS prev
                ), batch_digest AS (
                  SELECT b.*, sha256(b.parts) AS digest FROM batch_parts b
                ), seal AS (
                  INSERT INTO event_seals (chain_id, seq, version, events, postings, payments, idempotency_records, parts,
                                           digest, prev_hash, hash)
                  SELECT $C, $S, $V, d.events, d.postings, d.payments, d.keys, d.parts, d.digest, p.prev,
                         sha256($O::bytea || sha256($I::bytea || p.prev || d.digest))
                  FROM batch_digest d, prev_seal p WHERE d.events + d.postings + d.payments + d.keys > 0
                  RETURNING seq
                )""".replace("$C", "$" + chain)
                .replace("$S", "$" + seq)
                .replace("$I", "$" + innerPad)
                .replace("$O", "$" + outerPad)
                .replace("$V", Integer.toString(version));
    }

    /** The CTE {@code sealed_payments} of a statement that seals events but writes no payment row. */
    static final String NO_PAYMENTS = """
            sealed_payments AS (
              SELECT NULL::text AS id, NULL::text AS merchant_id, NULL::text AS terminal_id, NULL::bigint AS amount,
                     NULL::text AS currency, NULL::text AS card_token, NULL::text AS card_fingerprint, NULL::text AS masked_pan,
                     NULL::text AS card_bin, NULL::text AS auth_code, NULL::text AS capture_mode,
                     NULL::bigint AS created_ms
              WHERE false
            )""";

    /** The CTE {@code ev} that inserts {@code sealed_events} into payment_events, naming the seal. */
    static String insertEvents(int chain, int seq) {
        return """
                ev AS (
                  INSERT INTO payment_event_rows (payment_id, seq, type, status, amount, created_at, seal_chain, seal_seq,
                                                  merchant_id, feed_seq)
                  SELECT payment_id, seq, type, status, amount, created_at, $C, $S, merchant_id, feed_seq
                  FROM sealed_events
                )""".replace("$C", "$" + chain).replace("$S", "$" + seq);
    }

    /**
     * The CTEs {@code po} and {@code k} that insert {@code sealed_postings} and {@code sealed_keys}, naming the seal;
     * {@code keysTail} ends the keys' insert (e.g. {@code ON CONFLICT DO NOTHING RETURNING 1}, or nothing).
     */
    static String insertPostingsAndKeys(int chain, int seq, String keysTail) {
        return """
                po AS (
                  INSERT INTO posting_rows (payment_id, event_seq, leg, account, merchant_id, direction, amount, currency,
                                            created_at, seal_chain, seal_seq)
                  SELECT payment_id, event_seq, leg, account, merchant_id, direction, amount, currency,
                         timestamptz 'epoch' + created_ms * interval '1 millisecond', $C, $S
                  FROM sealed_postings
                ), k AS (
                  INSERT INTO idempotency_keys (merchant_id, idempotency_key, request_hash, payment_id, response_status,
                                                response_body, created_at, seal_chain, seal_seq)
                  SELECT merchant_id, idempotency_key, request_hash, payment_id, response_status, response_body,
                         timestamptz 'epoch' + created_ms * interval '1 millisecond', $C, $S
                  FROM sealed_keys
                  $T
                )""".replace("$C", "$" + chain).replace("$S", "$" + seq).replace("$T", keysTail);
    }
}
