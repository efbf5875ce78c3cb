package dev.payproc.ledger.audit;

import dev.payproc.core.port.SealTrail;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;

/**
 * Verifies the seals over payment state changes ({@code V5__event_seals.sql}): for every seal, the digest of
 * the events that name it must equal the stored digest, its hash must be SHA-256 over the previous seal's hash
 * and that digest, and each chain must run 1, 2, 3… with every seal following the one before. The database
 * recomputes the digests, so the events never travel. An edited or deleted event, seal or chain link is found.
 */
public final class EventSeals implements SealTrail {

    private static final String CHECK = """
            WITH recomputed AS (
              SELECT seal_chain, seal_seq, count(*) AS n,
                     sha256(string_agg(payment_event_digest(payment_id, seq, type, status, amount, created_at), ''::bytea
                                       ORDER BY payment_id, seq)) AS d
              FROM payment_events WHERE seal_chain IS NOT NULL GROUP BY seal_chain, seal_seq
            ), joined AS (
              SELECT coalesce(s.chain_id, r.seal_chain) AS chain, coalesce(s.seq, r.seal_seq) AS seq, s.events, s.digest,
                     s.prev_hash, s.hash, r.n, r.d,
                     lag(s.hash) OVER w AS prev_actual, lag(s.seq) OVER w AS prev_seq
              FROM event_seals s FULL JOIN recomputed r ON r.seal_chain = s.chain_id AND r.seal_seq = s.seq
              WINDOW w AS (PARTITION BY coalesce(s.chain_id, r.seal_chain) ORDER BY coalesce(s.seq, r.seal_seq))
            )
            SELECT * FROM (
              SELECT chain, seq,
                   CASE WHEN hash IS NULL THEN 'events name a seal that does not exist (deleted)'
                        WHEN n IS NULL THEN 'the sealed events are missing (deleted)'
                        WHEN n <> events THEN 'sealed ' || events || ' events, found ' || n || ' (deleted or added)'
                        WHEN d <> digest THEN 'an event differs from what was sealed (edited)'
                        WHEN hash <> sha256(prev_hash || digest) THEN 'the seal itself was edited'
                        WHEN seq <> coalesce(prev_seq, 0) + 1 THEN 'seal ' || (coalesce(prev_seq, 0) + 1) || ' is missing'
                        WHEN prev_hash <> coalesce(prev_actual, ''::bytea) THEN 'the seal does not follow the one before'
                   END AS problem,
                   count(*) OVER () AS seals, (sum(coalesce(n, 0)) OVER ())::bigint AS events
              FROM joined
            ) checked ORDER BY problem IS NULL, chain, seq LIMIT 1""";

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

    public EventSeals(Pool pool) {
        this.pool = pool;
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
        return pool.query(CHECK).execute().map(rows -> {
            if (rows.size() == 0) return new Verification(0, 0, null);
            Row r = rows.iterator().next();
            String problem = r.getString("problem");
            return new Verification(
                    r.getLong("seals"),
                    r.getLong("events"),
                    problem == null
                            ? null
                            : "chain " + r.getString("chain") + " seal " + r.getLong("seq") + ": " + problem);
        });
    }
}
