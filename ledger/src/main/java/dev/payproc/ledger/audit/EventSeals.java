package dev.payproc.ledger.audit;

import dev.payproc.core.audit.AuditKey;
import dev.payproc.core.audit.SealKeys;
import dev.payproc.core.port.SealTrail;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Cursor;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Verifies the seals over money-moving rows ({@code V5__event_seals.sql}, {@code V12__keyed_seals.sql}). The database
 * recomputes, in one query, every seal's digests from the rows that name it now (events; for version-2 seals also
 * postings, the payments' creation fields and the idempotency records with their stored answers), checks its counts
 * and that each chain runs 1, 2, 3… with every seal naming the one before; only one row per seal travels, and this
 * class checks each seal's link with the audit key: {@code hash = HMAC(k_seal, prev_hash || digest)}
 * ({@link SealKeys}). So an edited or deleted row, seal or link is found, and so is a chain rebuilt without the key
 * (unkeyed, or under another key). Rows that name no seal are reported too: nothing is skipped. Version 3 seals (V18)
 * also cover the feed sequences each batch took per merchant; the feeds as a whole are checked after ({@link #FEED}).
 */
public final class EventSeals implements SealTrail {

    /**
     * One row per seal (or per seal that rows name but that does not exist), in chain and seq order: the link's
     * inputs and the first problem the database found with it, null when none.
     */
    static final String CHECK = """
            WITH evr AS (
              SELECT seal_chain AS c, seal_seq AS s, payment_id, seq, type, status, amount, created_at, merchant_id, feed_seq,
                     feed_seq - min(feed_seq) OVER w + 1 = row_number() OVER (w ORDER BY created_at, payment_id, seq)
                       AS in_order
              FROM payment_events WHERE seal_chain IS NOT NULL
              WINDOW w AS (PARTITION BY seal_chain, seal_seq, merchant_id)
            ), ev AS (
              SELECT c, s, count(*)::int AS n,
                     string_agg(payment_event_digest(payment_id, seq, type, status, amount, created_at), ''::bytea
                                ORDER BY payment_id, seq) AS agg
              FROM evr GROUP BY 1, 2
            ), fm AS (
              SELECT c, s, merchant_id, min(feed_seq) AS first_seq, count(*) AS n,
                     bool_and(coalesce(in_order, false)) AS ordered
              FROM evr GROUP BY 1, 2, 3
            ), fe AS (
              SELECT c, s, string_agg(seal_feed_digest(merchant_id, first_seq, n), ''::bytea ORDER BY merchant_id) AS agg,
                     bool_and(ordered) AS ordered
              FROM fm GROUP BY 1, 2
            ), po AS (
              SELECT seal_chain AS c, seal_seq AS s, count(*)::int AS n,
                     string_agg(seal_posting_digest(payment_id, event_seq, leg, account, merchant_id, direction, amount,
                                                    currency, seal_ms(created_at)), ''::bytea
                                ORDER BY payment_id, event_seq, leg) AS agg
              FROM postings WHERE seal_chain IS NOT NULL GROUP BY 1, 2
            ), pa AS (
              SELECT seal_chain AS c, seal_seq AS s, count(*)::int AS n,
                     string_agg(seal_payment_digest(id, merchant_id, terminal_id, amount, currency, card_token,
                                                    card_fingerprint, masked_pan, card_bin, auth_code, capture_mode,
                                                    seal_ms(created_at)), ''::bytea ORDER BY id) AS agg
              FROM payments WHERE seal_chain IS NOT NULL GROUP BY 1, 2
            ), ik AS (
              SELECT seal_chain AS c, seal_seq AS s, count(*)::int AS n,
                     string_agg(seal_idempotency_digest(merchant_id, idempotency_key, request_hash, payment_id,
                                                        response_status, response_body, response_digest,
                                                        seal_ms(created_at)), ''::bytea
                                ORDER BY merchant_id, idempotency_key) AS agg
              FROM idempotency_keys WHERE seal_chain IS NOT NULL GROUP BY 1, 2
            ), recomputed AS (
              SELECT c, s, coalesce(ev.n, 0) AS ne, coalesce(po.n, 0) AS np, coalesce(pa.n, 0) AS na, coalesce(ik.n, 0) AS nk,
                     sha256(ev.agg) AS v1_digest,
                     sha256(coalesce(ev.agg, ''::bytea)) AS e_part, sha256(coalesce(po.agg, ''::bytea)) AS p_part,
                     sha256(coalesce(pa.agg, ''::bytea)) AS a_part, sha256(coalesce(ik.agg, ''::bytea)) AS k_part,
                     sha256(coalesce(fe.agg, ''::bytea)) AS f_part, coalesce(fe.ordered, true) AS f_ordered
              FROM ev FULL JOIN po USING (c, s) FULL JOIN pa USING (c, s) FULL JOIN ik USING (c, s) FULL JOIN fe USING (c, s)
            ), joined AS (
              SELECT coalesce(x.chain_id, r.c) AS chain, coalesce(x.seq, r.s) AS seq, x.version, x.events, x.postings,
                     x.payments, x.idempotency_records, x.parts, x.digest, x.prev_hash, x.hash, r.*,
                     lag(x.hash) OVER w AS prev_actual, lag(x.seq) OVER w AS prev_seq
              FROM event_seals x FULL JOIN recomputed r ON r.c = x.chain_id AND r.s = x.seq
              WINDOW w AS (PARTITION BY coalesce(x.chain_id, r.c) ORDER BY coalesce(x.seq, r.s))
            )
            -- The payments' part first: an authorization's event and postings are generated from its payment row (V16),
            -- so an edited payment amount changes the event too, and the payment is the more exact finding.
            SELECT chain, seq, prev_hash, digest, hash,
                   CASE WHEN hash IS NULL THEN 'rows name a seal that does not exist (deleted)'
                        WHEN version NOT IN (1, 2, 3) THEN 'unknown coverage version ' || version
                        WHEN coalesce(ne, 0) <> events
                          THEN 'sealed ' || events || ' events, found ' || coalesce(ne, 0) || ' (deleted or added)'
                        WHEN coalesce(np, 0) <> postings
                          THEN 'sealed ' || postings || ' postings, found ' || coalesce(np, 0) || ' (deleted or added)'
                        WHEN coalesce(na, 0) <> payments
                          THEN 'sealed ' || payments || ' payments, found ' || coalesce(na, 0) || ' (deleted or added)'
                        WHEN coalesce(nk, 0) <> idempotency_records
                          THEN 'sealed ' || idempotency_records || ' idempotency records, found ' || coalesce(nk, 0)
                               || ' (deleted or added)'
                        WHEN version = 1 AND v1_digest IS DISTINCT FROM digest
                          THEN 'an event differs from what was sealed (edited)'
                        WHEN version >= 2 AND (parts IS NULL OR digest <> sha256(parts)
                                               OR octet_length(parts) <> CASE WHEN version = 3 THEN 160 ELSE 128 END)
                          THEN 'the seal itself was edited'
                        WHEN version >= 2 AND substr(parts, 65, 32) <> a_part
                          THEN 'a payment''s creation fields differ from what was sealed (edited)'
                        WHEN version >= 2 AND substr(parts, 1, 32) <> e_part
                          THEN 'an event differs from what was sealed (edited)'
                        WHEN version >= 2 AND substr(parts, 33, 32) <> p_part
                          THEN 'a posting differs from what was sealed (edited)'
                        WHEN version >= 2 AND substr(parts, 97, 32) <> k_part
                          THEN 'an idempotency record or its stored answer differs from what was sealed (edited)'
                        WHEN version = 3 AND (substr(parts, 129, 32) <> f_part OR NOT f_ordered)
                          THEN 'an event''s feed sequence or merchant differs from what was sealed (edited)'
                        WHEN seq <> coalesce(prev_seq, 0) + 1 THEN 'seal ' || (coalesce(prev_seq, 0) + 1) || ' is missing'
                        WHEN prev_hash <> coalesce(prev_actual, ''::bytea) THEN 'the seal does not follow the one before'
                   END AS problem,
                   (sum(coalesce(ne, 0)) OVER ())::bigint AS all_events
            FROM joined ORDER BY chain, seq""";

    /** Rows that name no seal: covered by none, so reported (each kind: how many, and the first). */
    static final String UNSEALED = """
            SELECT 'event' AS kind, count(*) AS n, min(payment_id || ' event ' || seq) AS first
              FROM payment_events WHERE seal_chain IS NULL OR seal_seq IS NULL
            UNION ALL
            SELECT 'posting', count(*), min(payment_id || ' event ' || event_seq || ' leg ' || leg)
              FROM postings WHERE seal_chain IS NULL OR seal_seq IS NULL
            UNION ALL
            SELECT 'payment', count(*), min(id) FROM payments WHERE seal_chain IS NULL OR seal_seq IS NULL
            UNION ALL
            SELECT 'idempotency record', count(*), min(merchant_id || ' key ' || idempotency_key)
              FROM idempotency_keys WHERE seal_chain IS NULL OR seal_seq IS NULL""";

    /**
     * The feeds as a whole (V18): per merchant, every event numbered, 1 to n without a gap or a repeat, the head at n,
     * and the events not under a version 3 seal (those written before V18, whose seals could not cover a sequence)
     * numbered exactly as the migration numbered them, 1.. in (created_at, payment id, event seq) order, so an edited
     * sequence is found there too. The first problem only.
     */
    static final String FEED = """
            WITH e AS (
              SELECT ev.merchant_id AS m, ev.feed_seq AS f, ev.payment_id || ' event ' || ev.seq AS event,
                     coalesce(x.version, 0) < 3 AS migrated, ev.created_at, ev.payment_id, ev.seq
              FROM payment_events ev LEFT JOIN event_seals x ON x.chain_id = ev.seal_chain AND x.seq = ev.seal_seq
            ), ranked AS (
              SELECT e.*, row_number() OVER (PARTITION BY m, migrated ORDER BY created_at, payment_id, seq) AS place
              FROM e
            ), merchants AS (
              SELECT m, count(*) AS n, count(f) AS numbered, count(DISTINCT f) AS distinct_f, min(f) AS low, max(f) AS high,
                     min(event) FILTER (WHERE migrated AND f IS DISTINCT FROM place) AS misplaced
              FROM ranked GROUP BY m
            ), checked AS (
              SELECT coalesce(m, h.merchant_id) AS merchant,
                   CASE WHEN m IS NULL AND h.head > 0 THEN 'its feed head is ' || h.head || ' but it has no events'
                        WHEN m IS NULL THEN NULL
                        WHEN numbered < n THEN (n - numbered) || ' of its events have no feed sequence'
                        WHEN distinct_f < n THEN 'two of its events share a feed sequence'
                        WHEN low <> 1 OR high <> n THEN 'its feed sequences run ' || low || '-' || high || ' over ' || n
                                                     || ' events (a gap)'
                        WHEN misplaced IS NOT NULL THEN 'event ' || misplaced || ', written before V18, is not at the'
                             || ' feed sequence its (created_at, payment, event) order gave it (edited)'
                        WHEN coalesce(h.head, 0) <> high THEN 'its feed head is ' || coalesce(h.head, 0)
                             || ' but its newest event is ' || high
                   END AS problem
              FROM merchants FULL JOIN merchant_feed_heads h ON h.merchant_id = m
            )
            SELECT merchant, problem FROM checked
            WHERE problem IS NOT NULL AND merchant IS NOT NULL -- events of no merchant: reconciliation's orphans
            ORDER BY merchant LIMIT 1""";

    /** Seals read per round trip while walking them. */
    private static final int FETCH = 5_000;

    private static final String HEADS = "SELECT DISTINCT ON (chain_id) chain_id, seq, encode(hash, 'hex') AS hash "
            + "FROM event_seals ORDER BY chain_id, seq DESC";

    private static final String CHECK_ANCHORS = """
            SELECT a.chain, a.seq, CASE WHEN s.hash IS NULL THEN 'the anchored seal is gone (deleted)'
                                        ELSE 'the anchored seal has another hash (edited)' END AS problem
            FROM unnest($1::text[], $2::bigint[], $3::text[]) AS a(chain, seq, hash)
            LEFT JOIN event_seals s ON s.chain_id = a.chain AND s.seq = a.seq
            WHERE s.hash IS DISTINCT FROM decode(a.hash, 'hex')
            ORDER BY a.chain, a.seq LIMIT 1""";

    private final Pool pool;
    private final AuditKey key;

    public EventSeals(Pool pool, AuditKey key) {
        this.pool = pool;
        this.key = key;
    }

    /**
     * The newest seal of every chain. Kept outside the database (a log, a ticket, another system), anchors let
     * {@link #verifyAnchors} find what the chain alone cannot: the newest seals deleted together with their events.
     */
    public Future<List<Anchor>> anchors() {
        return pool.query(HEADS).execute().map(rows -> {
            List<Anchor> anchors = new ArrayList<>();
            for (Row r : rows) anchors.add(new Anchor(r.getString(0), r.getLong(1), r.getString(2)));
            return anchors;
        });
    }

    /** The first anchor whose seal is gone or differs, described; null when every anchor still holds. */
    public Future<String> verifyAnchors(List<Anchor> anchors) {
        if (anchors.isEmpty()) return Future.succeededFuture(null);
        Tuple params = Tuple.tuple()
                .addValue(anchors.stream().map(Anchor::chain).toArray(String[]::new))
                .addValue(anchors.stream().map(Anchor::seq).toArray(Long[]::new))
                .addValue(anchors.stream().map(Anchor::hash).toArray(String[]::new));
        return pool.preparedQuery(CHECK_ANCHORS).execute(params).map(rows -> {
            if (rows.size() == 0) return null;
            Row r = rows.iterator().next();
            return "anchor chain " + r.getString(0) + " seal " + r.getLong(1) + ": " + r.getString(2);
        });
    }

    public Future<Verification> verify() {
        long[] seals = {0};
        long[] events = {0};
        String[] problem = {null};
        return pool.withTransaction(conn -> walk(conn, seal -> {
                            seals[0]++;
                            events[0] = seal.allEvents();
                            if (problem[0] != null) return;
                            String p = seal.problem() != null
                                    ? seal.problem()
                                    : seal.linkKeyed(key)
                                            ? null
                                            : "the link is not keyed with the audit key (rebuilt without it, or edited)";
                            if (p != null) problem[0] = "chain " + seal.chain() + " seal " + seal.seq() + ": " + p;
                        })
                        .compose(v -> unsealed(conn))
                        .compose(unsealed -> feeds(conn).map(feeds -> joined(unsealed, feeds))))
                .map(found -> new Verification(seals[0], events[0], joined(problem[0], found)));
    }

    /** One seal as {@link #CHECK} reads it. */
    record Seal(String chain, long seq, byte[] prevHash, byte[] digest, byte[] hash, String problem, long allEvents) {
        boolean linkKeyed(AuditKey key) {
            return SealKeys.linkHolds(key, chain, seq, prevHash, digest, hash);
        }

        boolean linkUnkeyed() {
            return MessageDigest.isEqual(SealKeys.unkeyedLink(prevHash, digest), hash);
        }
    }

    /** Every seal, in chain and seq order, read through a cursor (so in a transaction on {@code conn}). */
    static Future<Void> walk(SqlConnection conn, Consumer<Seal> each) {
        return conn.prepare(CHECK).compose(ps -> {
            Cursor cursor = ps.cursor();
            return readAll(cursor, each).eventually(cursor::close);
        });
    }

    private static Future<Void> readAll(Cursor cursor, Consumer<Seal> each) {
        return cursor.read(FETCH).compose(rows -> {
            for (Row r : rows) {
                each.accept(new Seal(
                        r.getString("chain"),
                        r.getLong("seq"),
                        bytes(r.getBuffer("prev_hash")),
                        bytes(r.getBuffer("digest")),
                        bytes(r.getBuffer("hash")),
                        r.getString("problem"),
                        r.getLong("all_events")));
            }
            return cursor.hasMore() ? readAll(cursor, each) : Future.succeededFuture();
        });
    }

    private static byte[] bytes(Buffer b) {
        return b == null ? null : b.getBytes();
    }

    private static String joined(String first, String second) {
        return first == null ? second : second == null ? first : first + "; and " + second;
    }

    /** The first merchant whose feed is not whole and in order ({@link #FEED}), described; null when none. */
    static Future<String> feeds(SqlConnection conn) {
        return conn.query(FEED).execute().map(rows -> {
            if (rows.size() == 0) return null;
            Row r = rows.iterator().next();
            String problem = r.getString("problem");
            return problem == null ? null : "the feed of merchant " + r.getString("merchant") + ": " + problem;
        });
    }

    /** The rows that name no seal, described; null when every row is sealed. */
    static Future<String> unsealed(SqlConnection conn) {
        return conn.query(UNSEALED).execute().map(rows -> {
            for (Row r : rows) {
                long n = r.getLong("n");
                if (n == 0) continue;
                String kind = r.getString("kind");
                return n + " " + kind + (n == 1 ? " is" : "s are")
                        + " covered by no seal (never sealed, or its seal's name was removed), the first: "
                        + kind + " " + r.getString("first");
            }
            return null;
        });
    }
}
