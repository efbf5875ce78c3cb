package dev.payproc.ledger.audit;

import dev.payproc.core.audit.AuditKey;
import dev.payproc.core.audit.SealKeys;
import dev.payproc.ledger.commit.EventSealSql;
import dev.payproc.ledger.commit.SealLink;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.logging.Logger;

/**
 * Carries the seals written before {@code V12__keyed_seals.sql} forward, once per database, at start (the processor
 * holds the key; the migration does not). Each unkeyed chain is verified the old way first (its digests recomputed,
 * its links {@code sha256(prev_hash || digest)}): intact, its links are rewritten keyed (its coverage, version 1,
 * kept); broken, it is left as it is, logged, and verification reports it. Then every row that names no seal
 * (events from before the seals, and the postings, payments and idempotency records of every pre-V12 batch) is
 * sealed, keyed and with full coverage, in a chain of its own, {@code legacy-<uuid>}. A keyed record in
 * {@code seal_rekeying} says it was done: after it, an unkeyed chain (someone with write access to the database
 * adding one) is never re-keyed, only reported. Without that record, chains are re-keyed only while no keyed seal
 * exists at all. One transaction, under an advisory lock, so processes starting together do it once.
 */
public final class LegacySeals {
    private static final Logger LOG = Logger.getLogger(LegacySeals.class.getName());
    private static final long LOCK_ID = 0x7365616c73L; // "seals"

    /** What the start-up step did; {@code done} false when it had nothing to do or refused to. */
    public record Outcome(boolean done, int chainsRekeyed, long sealsRekeyed, int chainsBroken, long rowsSealed) {}

    private static final String RECORD =
            "SELECT done_at, chains_rekeyed, seals_rekeyed, chains_broken, legacy_chain, rows_sealed, mac "
                    + "FROM seal_rekeying WHERE id = 1";

    private static final String REKEY = """
            UPDATE event_seals s SET prev_hash = x.prev, hash = x.hash
            FROM unnest($2::bigint[], $3::bytea[], $4::bytea[], $5::bytea[]) AS x(seq, prev, hash, old)
            WHERE s.chain_id = $1 AND s.seq = x.seq AND s.hash = x.old""";

    /** Seals every row that names no seal into seal 1 of a new chain ($1), in one statement. */
    private static final String SEAL_UNSEALED = """
            WITH u_ev AS (
              UPDATE payment_event_rows SET seal_chain = $1, seal_seq = $2 WHERE seal_chain IS NULL OR seal_seq IS NULL
              RETURNING payment_id, seq, type, status, amount, created_at
            ), u_po AS (
              UPDATE posting_rows SET seal_chain = $1, seal_seq = $2 WHERE seal_chain IS NULL OR seal_seq IS NULL
              RETURNING payment_id, event_seq, leg, account, merchant_id, direction, amount, currency,
                        seal_ms(created_at) AS created_ms
            ), u_pa AS (
              UPDATE payments SET seal_chain = $1, seal_seq = $2 WHERE seal_chain IS NULL OR seal_seq IS NULL
              RETURNING id, merchant_id, terminal_id, amount, currency, card_token, card_fingerprint, masked_pan, card_bin,
                        auth_code, capture_mode, seal_ms(created_at) AS created_ms
            ), u_ik AS (
              UPDATE idempotency_keys SET seal_chain = $1, seal_seq = $2 WHERE seal_chain IS NULL OR seal_seq IS NULL
              RETURNING merchant_id, idempotency_key, request_hash, payment_id, response_status, response_body,
                        seal_ms(created_at) AS created_ms
            ), sealed_events AS (
              SELECT * FROM u_ev
            ), sealed_postings AS (
              SELECT * FROM u_po
            ), sealed_payments AS (
              SELECT * FROM u_pa
            ), sealed_keys AS (
              SELECT * FROM u_ik
            ), """ + EventSealSql.seal(1, 2, 3, 4) + """

            SELECT events, postings, payments, keys, (SELECT count(*) FROM seal) AS seals FROM batch_digest""";

    private static final String WRITE_RECORD = """
            INSERT INTO seal_rekeying (id, done_at, chains_rekeyed, seals_rekeyed, chains_broken, legacy_chain,
                                       rows_sealed, mac)
            VALUES (1, $1, $2, $3, $4, $5, $6, $7)""";

    private LegacySeals() {}

    public static Future<Outcome> carryForward(Pool pool, AuditKey key) {
        return pool.withTransaction(conn -> conn.query("SELECT pg_advisory_xact_lock(" + LOCK_ID + ")")
                .execute()
                .compose(v -> conn.query(RECORD).execute())
                .compose(rows -> {
                    if (rows.size() > 0) {
                        Row r = rows.iterator().next();
                        if (!MessageDigest.isEqual(
                                mac(
                                        key,
                                        r.getOffsetDateTime("done_at").toInstant(),
                                        r.getInteger("chains_rekeyed"),
                                        r.getLong("seals_rekeyed"),
                                        r.getInteger("chains_broken"),
                                        r.getString("legacy_chain"),
                                        r.getLong("rows_sealed")),
                                r.getBuffer("mac").getBytes())) {
                            LOG.severe(
                                    "the record of the seals' one-time re-keying does not verify under the audit key "
                                            + "(edited, or another key): nothing is re-keyed; verification reports any unkeyed seal");
                        }
                        return Future.succeededFuture(new Outcome(false, 0, 0, 0, 0));
                    }
                    return carryForward(conn, key);
                }));
    }

    private static Future<Outcome> carryForward(SqlConnection conn, AuditKey key) {
        Map<String, List<EventSeals.Seal>> chains = new LinkedHashMap<>();
        long[] keyed = {0};
        return EventSeals.walk(conn, seal -> {
                    chains.computeIfAbsent(seal.chain(), c -> new ArrayList<>()).add(seal);
                    if (complete(seal) && seal.linkKeyed(key)) keyed[0]++;
                })
                .compose(v -> {
                    if (keyed[0] > 0) {
                        boolean unkeyed = chains.values().stream()
                                .flatMap(List::stream)
                                .anyMatch(s -> !complete(s) || !s.linkKeyed(key));
                        if (unkeyed) {
                            LOG.severe("keyed seals exist but no record of the one-time re-keying does: unkeyed seals "
                                    + "are not re-keyed (someone may have added them); verification reports them");
                        }
                        return Future.succeededFuture(new Outcome(false, 0, 0, 0, 0));
                    }
                    return rekeyAndSeal(conn, key, chains);
                });
    }

    private static boolean complete(EventSeals.Seal s) {
        return s.hash() != null && s.prevHash() != null && s.digest() != null;
    }

    private static Future<Outcome> rekeyAndSeal(
            SqlConnection conn, AuditKey key, Map<String, List<EventSeals.Seal>> chains) {
        Future<Void> updates = Future.succeededFuture();
        int[] rekeyed = {0};
        long[] seals = {0};
        int[] broken = {0};
        for (Map.Entry<String, List<EventSeals.Seal>> e : chains.entrySet()) {
            String chain = e.getKey();
            List<EventSeals.Seal> list = e.getValue();
            EventSeals.Seal bad = list.stream()
                    .filter(s -> s.problem() != null || !complete(s) || !s.linkUnkeyed())
                    .findFirst()
                    .orElse(null);
            if (bad != null) {
                broken[0]++;
                LOG.severe("legacy seal chain " + chain + " is broken at seal " + bad.seq() + " ("
                        + (bad.problem() != null ? bad.problem() : "its unkeyed link does not hold")
                        + "): not re-keyed; verification reports it");
                continue;
            }
            int n = list.size();
            Long[] seq = new Long[n];
            Buffer[] prev = new Buffer[n], hash = new Buffer[n], old = new Buffer[n];
            byte[] p = new byte[0];
            for (int i = 0; i < n; i++) {
                EventSeals.Seal s = list.get(i);
                byte[] h = SealKeys.link(key, chain, s.seq(), p, s.digest());
                seq[i] = s.seq();
                prev[i] = Buffer.buffer(p);
                hash[i] = Buffer.buffer(h);
                old[i] = Buffer.buffer(s.hash());
                p = h;
            }
            String oldHead = HexFormat.of().formatHex(list.get(n - 1).hash());
            String newHead = HexFormat.of().formatHex(p);
            long headSeq = list.get(n - 1).seq();
            updates = updates.compose(v -> conn.preparedQuery(REKEY)
                    .execute(Tuple.of(chain, seq, prev, hash, old))
                    .compose(rows -> {
                        if (rows.rowCount() != n) {
                            return Future.failedFuture(new IllegalStateException(
                                    "re-keying " + chain + " updated " + rows.rowCount() + " of " + n + " seals"));
                        }
                        // Anchors kept before carry the old head hash: this line maps them to the new one.
                        LOG.info("legacy seal chain " + chain + " re-keyed: " + n + " seals; anchor " + chain + ":"
                                + headSeq + ":" + oldHead + " is now " + chain + ":" + headSeq + ":" + newHead);
                        rekeyed[0]++;
                        seals[0] += n;
                        return Future.<Void>succeededFuture();
                    }));
        }
        String legacyChain = "legacy-" + UUID.randomUUID();
        SealLink link = SealLink.of(key, legacyChain, 1);
        Instant at = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        return updates.compose(v -> conn.preparedQuery(SEAL_UNSEALED)
                        .execute(Tuple.of(legacyChain, 1L, link.innerPad(), link.outerPad())))
                .compose(rows -> {
                    Row r = rows.iterator().next();
                    long sealed = r.getLong("seals");
                    long rowsSealed =
                            r.getLong("events") + r.getLong("postings") + r.getLong("payments") + r.getLong("keys");
                    String chain = sealed > 0 ? legacyChain : null;
                    String detail = sealed > 0
                            ? " in " + legacyChain + " (" + r.getLong("events") + " events, " + r.getLong("postings")
                                    + " postings, " + r.getLong("payments") + " payments, " + r.getLong("keys")
                                    + " idempotency records)"
                            : "";
                    return conn.preparedQuery(WRITE_RECORD)
                            .execute(Tuple.of(
                                    OffsetDateTime.ofInstant(at, ZoneOffset.UTC),
                                    rekeyed[0],
                                    seals[0],
                                    broken[0],
                                    chain,
                                    rowsSealed,
                                    Buffer.buffer(mac(key, at, rekeyed[0], seals[0], broken[0], chain, rowsSealed))))
                            .map(x -> {
                                LOG.info("audit seals carried forward (once per database): " + rekeyed[0]
                                        + " unkeyed chains (" + seals[0] + " seals) re-keyed, " + broken[0]
                                        + " broken chains left unkeyed, " + rowsSealed + " unsealed rows sealed"
                                        + detail);
                                return new Outcome(true, rekeyed[0], seals[0], broken[0], rowsSealed);
                            });
                });
    }

    private static byte[] mac(AuditKey key, Instant at, int chains, long seals, int broken, String chain, long rows) {
        String message = "seal rekeying|" + at.toEpochMilli() + "|" + chains + "|" + seals + "|" + broken + "|" + chain
                + "|" + rows;
        return AuditKey.mac(key.derive("seal rekeying record"), message.getBytes(StandardCharsets.UTF_8));
    }
}
