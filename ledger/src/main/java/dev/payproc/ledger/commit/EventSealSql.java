package dev.payproc.ledger.commit;

import dev.payproc.ledger.audit.EventSeals;

/**
 * The part of a batch statement that writes the batch's payment events and seals them in the writer's chain
 * ({@code V5__event_seals.sql}), shared by the authorization and the lifecycle statements. The statement
 * defines {@code sealed_events(payment_id, seq, type, status, amount, created_at)} before it and binds the
 * chain id as {@code $28}; the digest orders events as {@link EventSeals} recomputes them.
 */
final class EventSealSql {
    static final String CTES = """
            head AS (
              SELECT seq, hash FROM event_seals WHERE chain_id = $28::text ORDER BY seq DESC LIMIT 1
            ), next_seal AS (
              SELECT coalesce((SELECT seq FROM head), 0) + 1 AS seq, coalesce((SELECT hash FROM head), ''::bytea) AS prev
            ), batch_digest AS (
              SELECT count(*)::int AS n,
                     sha256(string_agg(payment_event_digest(payment_id, seq, type, status, amount, created_at), ''::bytea
                                       ORDER BY payment_id, seq)) AS d
              FROM sealed_events
            ), seal AS (
              INSERT INTO event_seals (chain_id, seq, events, digest, prev_hash, hash)
              SELECT $28, s.seq, b.n, b.d, s.prev, sha256(s.prev || b.d) FROM next_seal s, batch_digest b WHERE b.n > 0
            ), ev AS (
              INSERT INTO payment_events (payment_id, seq, type, status, amount, created_at, seal_chain, seal_seq)
              SELECT payment_id, seq, type, status, amount, created_at, $28, (SELECT seq FROM next_seal) FROM sealed_events
            )""";

    private EventSealSql() {}
}
