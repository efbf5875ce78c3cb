package dev.payproc.webhooks;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The dispatcher's statements. An endpoint is claimed with a lease (SKIP LOCKED, so processes on one database never
 * deliver one endpoint at once; an expired lease, a killed process's, is taken over). An attempt's row and the cursor
 * move commit in one statement, conditional on the lease and on the cursor the delivery started from: a crash before
 * it re-sends the event (at-least-once), and a cursor moved meanwhile (a replay) drops the result instead of skipping.
 */
final class DeliveryLedger {
    /** An endpoint leased for one delivery: its cursor, its current event's failures, a re-send asked for. */
    record Claimed(
            String id,
            String merchantId,
            String url,
            List<String> eventTypes,
            WebhookSecrets.Sealed secret,
            long deliveredSeq,
            int attempts,
            Long resendSeq) {}

    /** One attempt as recorded. */
    record Recorded(
            long feedSeq,
            int attempt,
            OffsetDateTime startedAt,
            long durationMillis,
            Integer httpStatus,
            DeliveryOutcome outcome,
            String error) {}

    private static final String CLAIM = """
            WITH due AS (
              SELECT e.id FROM webhook_endpoints e
              WHERE e.disabled_at IS NULL
                AND (e.lease_until IS NULL OR e.lease_until < now())
                AND NOT (e.id = ANY($3::text[]))
                AND ((e.next_attempt_at <= now()
                      AND e.delivered_seq < COALESCE((SELECT head FROM merchant_feed_heads h WHERE h.merchant_id = e.merchant_id), 0))
                     OR EXISTS (SELECT 1 FROM webhook_parked p WHERE p.endpoint_id = e.id AND p.resend_requested_at IS NOT NULL))
              ORDER BY e.next_attempt_at LIMIT $2
              FOR UPDATE OF e SKIP LOCKED)
            UPDATE webhook_endpoints e SET lease_owner = $1, lease_until = now() + $4::bigint * interval '1 millisecond'
            FROM due WHERE e.id = due.id
            RETURNING e.id, e.merchant_id, e.url, e.event_types, e.secret_ciphertext, e.secret_key_id, e.delivered_seq,
                      e.attempts,
                      (SELECT min(feed_seq) FROM webhook_parked p
                       WHERE p.endpoint_id = e.id AND p.resend_requested_at IS NOT NULL) AS resend_seq""";

    private static final String RESEND_ATTEMPT = """
            SELECT COALESCE(max(attempt), 0) + 1 FROM webhook_attempts WHERE endpoint_id = $1 AND feed_seq = $2""";

    private static final String COMMIT = """
            WITH moved AS (
              UPDATE webhook_endpoints
              SET delivered_seq = $4, attempts = $5, next_attempt_at = now() + $6::bigint * interval '1 millisecond',
                  lease_owner = NULL, lease_until = NULL
              WHERE id = $1 AND lease_owner = $2 AND delivered_seq = $3
              RETURNING id),
            attempt AS (
              INSERT INTO webhook_attempts (endpoint_id, feed_seq, attempt, resend, started_at, duration_ms, http_status,
                                            outcome, error)
              SELECT id, $7::bigint, $8::int, false, $9::timestamptz, $10::bigint, $11::int, $12::text, $13::text
              FROM moved WHERE $7::bigint > 0),
            parked AS (
              INSERT INTO webhook_parked (endpoint_id, feed_seq)
              SELECT id, $7::bigint FROM moved WHERE $12::text = 'parked'
              ON CONFLICT (endpoint_id, feed_seq) DO UPDATE
                SET parked_at = now(), resend_requested_at = NULL, resent_at = NULL)
            SELECT count(*) FROM moved""";

    private static final String COMMIT_RESEND = """
            WITH mine AS (
              UPDATE webhook_endpoints SET lease_owner = NULL, lease_until = NULL
              WHERE id = $1 AND lease_owner = $2 RETURNING id),
            parked AS (
              UPDATE webhook_parked SET resend_requested_at = NULL,
                                        resent_at = CASE WHEN $6::text = 'resent' THEN now() ELSE resent_at END
              WHERE endpoint_id IN (SELECT id FROM mine) AND feed_seq = $3::bigint),
            attempt AS (
              INSERT INTO webhook_attempts (endpoint_id, feed_seq, attempt, resend, started_at, duration_ms, http_status,
                                            outcome, error)
              SELECT id, $3::bigint, $4::int, true, $5::timestamptz, $7::bigint, $8::int, $6::text, $9::text FROM mine)
            SELECT count(*) FROM mine""";

    private static final String RELEASE =
            "UPDATE webhook_endpoints SET lease_owner = NULL, lease_until = NULL WHERE id = $1 AND lease_owner = $2";

    private static final String FIGURES = """
            SELECT count(*) FILTER (WHERE b.backlog > 0) AS behind, COALESCE(sum(b.backlog), 0)::bigint AS backlog,
                   (SELECT count(*) FROM webhook_parked p JOIN webhook_endpoints x ON x.id = p.endpoint_id
                    WHERE p.resent_at IS NULL AND x.disabled_at IS NULL) AS parked
            FROM (SELECT GREATEST(COALESCE((SELECT head FROM merchant_feed_heads h WHERE h.merchant_id = e.merchant_id), 0)
                                  - e.delivered_seq, 0) AS backlog
                  FROM webhook_endpoints e WHERE e.disabled_at IS NULL) b""";

    private static final String MERCHANTS =
            "SELECT DISTINCT merchant_id FROM webhook_endpoints WHERE disabled_at IS NULL";

    // Bounded history: a month, and at most the newest KEEP_PER_ENDPOINT attempts of each endpoint.
    static final int KEEP_PER_ENDPOINT = 1000;
    private static final String PRUNE = """
            DELETE FROM webhook_attempts WHERE started_at < now() - interval '30 days'
               OR id IN (SELECT id FROM (SELECT id, row_number() OVER (PARTITION BY endpoint_id ORDER BY id DESC) AS n
                                         FROM webhook_attempts) r WHERE r.n > $1)""";

    /** Delivery figures of the enabled endpoints. */
    record Figures(long backlog, long behind, long parked) {}

    private final Pool pool;

    DeliveryLedger(Pool pool) {
        this.pool = pool;
    }

    Future<List<Claimed>> claim(String owner, int limit, List<String> inFlight, long leaseMillis) {
        return pool.preparedQuery(CLAIM)
                .execute(Tuple.of(owner, limit, inFlight.toArray(String[]::new), leaseMillis))
                .map(rows -> {
                    List<Claimed> out = new ArrayList<>();
                    for (Row r : rows) {
                        out.add(new Claimed(
                                r.getString("id"),
                                r.getString("merchant_id"),
                                r.getString("url"),
                                Arrays.asList(r.getArrayOfStrings("event_types")),
                                new WebhookSecrets.Sealed(
                                        r.getBuffer("secret_ciphertext").getBytes(), r.getString("secret_key_id")),
                                r.getLong("delivered_seq"),
                                r.getInteger("attempts"),
                                r.getLong("resend_seq")));
                    }
                    return out;
                });
    }

    /** The attempt number a re-send of {@code feedSeq} carries: one past the last one recorded. */
    Future<Integer> resendAttempt(String id, long feedSeq) {
        return pool.preparedQuery(RESEND_ATTEMPT)
                .execute(Tuple.of(id, feedSeq))
                .map(rows -> rows.iterator().next().getInteger(0));
    }

    /**
     * Records {@code attempt} (none when null: unsubscribed events stepped over) and moves the cursor from {@code from}
     * to {@code to} (or keeps it, with {@code failures} and the next attempt {@code delayMillis} away), releasing the
     * lease; false when the lease or the cursor had changed, and nothing was written.
     */
    Future<Boolean> commit(
            String id, String owner, long from, long to, int failures, long delayMillis, Recorded attempt) {
        Recorded a = attempt == null ? new Recorded(0, 1, null, 0, null, null, null) : attempt;
        return pool.preparedQuery(COMMIT)
                .execute(Tuple.tuple()
                        .addString(id)
                        .addString(owner)
                        .addLong(from)
                        .addLong(to)
                        .addInteger(failures)
                        .addLong(delayMillis)
                        .addLong(a.feedSeq())
                        .addInteger(a.attempt())
                        .addOffsetDateTime(a.startedAt())
                        .addLong(a.durationMillis())
                        .addInteger(a.httpStatus())
                        .addString(a.outcome() == null ? null : a.outcome().label())
                        .addString(a.error()))
                .map(rows -> rows.iterator().next().getLong(0) > 0);
    }

    /** Records a re-send of a parked event (un-parked when accepted) and releases the lease; false without the lease. */
    Future<Boolean> commitResend(String id, String owner, Recorded attempt) {
        return pool.preparedQuery(COMMIT_RESEND)
                .execute(Tuple.tuple()
                        .addString(id)
                        .addString(owner)
                        .addLong(attempt.feedSeq())
                        .addInteger(attempt.attempt())
                        .addOffsetDateTime(attempt.startedAt())
                        .addString(attempt.outcome().label())
                        .addLong(attempt.durationMillis())
                        .addInteger(attempt.httpStatus())
                        .addString(attempt.error()))
                .map(rows -> rows.iterator().next().getLong(0) > 0);
    }

    Future<Void> release(String id, String owner) {
        return pool.preparedQuery(RELEASE).execute(Tuple.of(id, owner)).mapEmpty();
    }

    Future<Figures> figures() {
        return pool.query(FIGURES).execute().map(rows -> {
            Row r = rows.iterator().next();
            return new Figures(r.getLong("backlog"), r.getLong("behind"), r.getLong("parked"));
        });
    }

    /** The merchants with an enabled endpoint. */
    Future<Set<String>> merchantsWithEndpoints() {
        return pool.query(MERCHANTS).execute().map(rows -> {
            Set<String> out = new HashSet<>();
            for (Row r : rows) out.add(r.getString(0));
            return Set.copyOf(out);
        });
    }

    Future<Integer> prune() {
        return pool.preparedQuery(PRUNE).execute(Tuple.of(KEEP_PER_ENDPOINT)).map(rows -> rows.rowCount());
    }

    static OffsetDateTime at(long epochMillis) {
        return OffsetDateTime.ofInstant(java.time.Instant.ofEpochMilli(epochMillis), ZoneOffset.UTC);
    }
}
