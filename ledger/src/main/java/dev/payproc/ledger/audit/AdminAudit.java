package dev.payproc.ledger.audit;

import dev.payproc.core.audit.AuditKey;
import dev.payproc.core.port.AuditTrail;
import dev.payproc.core.port.SealTrail;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Logger;

/**
 * The tamper-evident admin audit trail, a keyed hash chain. Appends take an advisory lock, so processes sharing the
 * database extend one chain; each row's hash is HMAC-SHA256, under a key derived from {@code AUDIT_HMAC_KEY} (never in
 * the database), over the previous row's hash and the row's content. So {@link #verify} finds the first row that was
 * edited or forged, even by someone who can write the database and recompute hashes, and a deleted row breaks the
 * sequence or the chain after it; the newest rows cut off are found against an {@link #anchor} kept outside.
 *
 * <p>Rows written before the chain was keyed ({@code hash_version} 0, unkeyed SHA-256) are re-keyed once, at start, by
 * {@link #rekeyLegacy} if their chain is intact; from then on verification refuses any row that is not keyed.
 */
public final class AdminAudit implements AuditTrail {
    private static final Logger LOG = Logger.getLogger(AdminAudit.class.getName());
    private static final long LOCK_ID = 0x61756469745f6cL; // "audit_l"
    private static final byte[] GENESIS = new byte[32];
    /** {@code hash_version} of a row hashed without a key (SHA-256), as before V13. */
    static final int UNKEYED = 0;
    /** {@code hash_version} of a keyed row: HMAC-SHA256 under {@code AuditKey.derive("admin audit")}. */
    static final int KEYED = 1;
    /** Who the re-keying entry names: outside the alphabet of admin key names, so no key can act as it. */
    public static final String PROCESSOR_ACTOR = "payproc (start-up)";

    private static final String SELECT_ALL =
            "SELECT seq, at, actor, action, detail, prev_hash, hash, hash_version FROM admin_audit ORDER BY seq";
    private static final String CHECK_ANCHORS = """
            SELECT a.seq, CASE WHEN r.hash IS NULL THEN 'the anchored row is gone (deleted)'
                               ELSE 'the anchored row has another hash (edited)' END AS problem
            FROM unnest($1::bigint[], $2::text[]) AS a(seq, hash)
            LEFT JOIN admin_audit r ON r.seq = a.seq
            WHERE r.hash IS DISTINCT FROM decode(a.hash, 'hex')
            ORDER BY a.seq LIMIT 1""";

    private final Pool pool;
    private final byte[] chainKey;

    public AdminAudit(Pool pool, AuditKey key) {
        this.pool = pool;
        this.chainKey = key.derive("admin audit");
    }

    /** Appends one entry (inside {@code conn}'s transaction when the change itself is transactional). */
    public Future<Entry> append(SqlConnection conn, String actor, String action, String detail) {
        Instant at = Instant.now().truncatedTo(ChronoUnit.MICROS);
        return conn.query("SELECT pg_advisory_xact_lock(" + LOCK_ID + ")")
                .execute()
                .compose(v -> conn.query("SELECT seq, hash FROM admin_audit ORDER BY seq DESC LIMIT 1")
                        .execute())
                .compose(rows -> {
                    long seq = rows.size() == 0 ? 1 : rows.iterator().next().getLong(0) + 1;
                    byte[] prev = rows.size() == 0
                            ? GENESIS
                            : rows.iterator().next().getBuffer(1).getBytes();
                    byte[] hash = keyedHash(chainKey, prev, seq, at, actor, action, detail);
                    return conn.preparedQuery(
                                    "INSERT INTO admin_audit (seq, at, actor, action, detail, prev_hash, hash, "
                                            + "hash_version) VALUES ($1, $2, $3, $4, $5, $6, $7, " + KEYED + ")")
                            .execute(Tuple.tuple()
                                    .addLong(seq)
                                    .addOffsetDateTime(at.atOffset(ZoneOffset.UTC))
                                    .addString(actor)
                                    .addString(action)
                                    .addString(detail)
                                    .addBuffer(Buffer.buffer(prev))
                                    .addBuffer(Buffer.buffer(hash)))
                            .map(v -> new Entry(seq, at, actor, action, detail));
                });
    }

    /** Appends one entry in a transaction of its own. */
    @Override
    public Future<Entry> append(String actor, String action, String detail) {
        return pool.withTransaction(conn -> append(conn, actor, action, detail));
    }

    @Override
    public Future<List<Entry>> recent(int limit) {
        return pool.preparedQuery("SELECT seq, at, actor, action, detail FROM admin_audit ORDER BY seq DESC LIMIT $1")
                .execute(Tuple.of(limit))
                .map(rows -> {
                    List<Entry> out = new ArrayList<>();
                    for (Row r : rows) {
                        out.add(new Entry(
                                r.getLong(0),
                                r.getOffsetDateTime(1).toInstant(),
                                r.getString(2),
                                r.getString(3),
                                r.getString(4)));
                    }
                    return out;
                });
    }

    /** Walks the whole chain in order: every row must be keyed, follow the one before and match its keyed hash. */
    @Override
    public Future<Verification> verify() {
        return pool.query(SELECT_ALL).execute().map(rows -> walk(rows, chainKey));
    }

    /**
     * Walks {@code rows} (in seq order) as a keyed chain under {@code key}, or, with {@code key} null, as the unkeyed
     * chain written before V13 (every row {@link #UNKEYED}, SHA-256).
     */
    static Verification walk(Iterable<Row> rows, byte[] key) {
        byte[] prev = GENESIS;
        long expectedSeq = 1;
        long checked = 0;
        for (Row r : rows) {
            long seq = r.getLong(0);
            if (seq != expectedSeq) return new Verification(checked, expectedSeq, "row " + expectedSeq + " is missing");
            if (!MessageDigest.isEqual(prev, r.getBuffer(5).getBytes())) {
                return new Verification(checked, seq, "row " + seq + " does not follow the row before it");
            }
            int version = r.getInteger(7);
            if (key != null && version != KEYED) {
                return new Verification(
                        checked,
                        seq,
                        "row " + seq + " is not keyed: its hash was made without the audit key (a row left unkeyed"
                                + " because the chain before re-keying was broken, or written by someone without"
                                + " the key)");
            }
            if (key == null && version != UNKEYED) {
                return new Verification(checked, seq, "row " + seq + " is already keyed");
            }
            Instant at = r.getOffsetDateTime(1).toInstant();
            byte[] hash = key == null
                    ? unkeyedHash(prev, seq, at, r.getString(2), r.getString(3), r.getString(4))
                    : keyedHash(key, prev, seq, at, r.getString(2), r.getString(3), r.getString(4));
            if (!MessageDigest.isEqual(hash, r.getBuffer(6).getBytes())) {
                return new Verification(
                        checked,
                        seq,
                        "row " + seq + " was changed after it was written"
                                + (key == null ? "" : " (or AUDIT_HMAC_KEY is not the key it was written with)"));
            }
            prev = hash;
            expectedSeq++;
            checked++;
        }
        return new Verification(checked, null, null);
    }

    @Override
    public Future<SealTrail.Anchor> anchor() {
        return pool.query("SELECT seq, encode(hash, 'hex') FROM admin_audit ORDER BY seq DESC LIMIT 1")
                .execute()
                .map(rows -> {
                    if (rows.size() == 0) return null;
                    Row r = rows.iterator().next();
                    return new SealTrail.Anchor(CHAIN, r.getLong(0), r.getString(1));
                });
    }

    @Override
    public Future<String> verifyAnchors(List<SealTrail.Anchor> anchors) {
        if (anchors.isEmpty()) return Future.succeededFuture(null);
        Tuple params = Tuple.tuple()
                .addValue(anchors.stream().map(SealTrail.Anchor::seq).toArray(Long[]::new))
                .addValue(anchors.stream().map(SealTrail.Anchor::hash).toArray(String[]::new));
        return pool.preparedQuery(CHECK_ANCHORS).execute(params).map(rows -> {
            if (rows.size() == 0) return null;
            Row r = rows.iterator().next();
            return "anchor chain " + CHAIN + " row " + r.getLong(0) + ": " + r.getString(1);
        });
    }

    /** What {@link #rekeyLegacy} did. */
    public enum Rekeying {
        /** Nothing to re-key: the trail is empty or already keyed. */
        NONE,
        /** The unkeyed rows verified and were rewritten keyed, with an entry saying so. */
        REKEYED,
        /** The unkeyed chain is broken: left as it is, for verification to report. */
        BROKEN
    }

    /**
     * Once, at start: a trail written before the chain was keyed (every row unkeyed, none keyed yet) is verified the
     * old way and, if intact, rewritten keyed in one transaction, with an entry saying how many rows were re-keyed. A
     * broken one is left unkeyed and logged, so verification reports it. Once any row is keyed, unkeyed rows are never
     * re-keyed again: verification refuses them. Serialized with appends by their lock, so processes starting
     * together re-key once.
     */
    public Future<Rekeying> rekeyLegacy() {
        return pool.withTransaction(conn -> conn.query("SELECT pg_advisory_xact_lock(" + LOCK_ID + ")")
                .execute()
                .compose(v -> conn.query("SELECT count(*) FILTER (WHERE hash_version <> " + UNKEYED + "), count(*)"
                                + " FROM admin_audit")
                        .execute())
                .compose(counts -> {
                    Row c = counts.iterator().next();
                    if (c.getLong(0) > 0 || c.getLong(1) == 0) return Future.succeededFuture(Rekeying.NONE);
                    return conn.query(SELECT_ALL).execute().compose(rows -> {
                        Verification legacy = walk(rows, null);
                        if (!legacy.intact()) {
                            LOG.severe(
                                    "admin audit: the chain written before it was keyed is broken (" + legacy.problem()
                                            + "); it is NOT re-keyed, and GET /admin/audit/verify reports it");
                            return Future.succeededFuture(Rekeying.BROKEN);
                        }
                        List<Tuple> updates = new ArrayList<>();
                        byte[] prev = GENESIS;
                        for (Row r : rows) {
                            byte[] hash = keyedHash(
                                    chainKey,
                                    prev,
                                    r.getLong(0),
                                    r.getOffsetDateTime(1).toInstant(),
                                    r.getString(2),
                                    r.getString(3),
                                    r.getString(4));
                            updates.add(Tuple.of(r.getLong(0), Buffer.buffer(prev), Buffer.buffer(hash)));
                            prev = hash;
                        }
                        long n = updates.size();
                        return conn.preparedQuery("UPDATE admin_audit SET prev_hash = $2, hash = $3, hash_version = "
                                        + KEYED + " WHERE seq = $1")
                                .executeBatch(updates)
                                .compose(v -> append(
                                        conn,
                                        PROCESSOR_ACTOR,
                                        "audit.rekeyed",
                                        n + " rows written before the admin audit was keyed verified intact and were"
                                                + " re-keyed (HMAC-SHA256 under AUDIT_HMAC_KEY)"))
                                .map(e -> {
                                    LOG.info("admin audit: " + n + " unkeyed rows verified and re-keyed (entry "
                                            + e.seq() + ")");
                                    return Rekeying.REKEYED;
                                });
                    });
                }));
    }

    /** The row's content, length-prefixed field by field: no ambiguity between fields. */
    private static byte[] content(byte[] prev, long seq, Instant at, String actor, String action, String detail) {
        byte[][] fields = {
            actor.getBytes(StandardCharsets.UTF_8),
            action.getBytes(StandardCharsets.UTF_8),
            detail.getBytes(StandardCharsets.UTF_8)
        };
        int size = prev.length + 20;
        for (byte[] f : fields) size += 4 + f.length;
        ByteBuffer b = ByteBuffer.allocate(size)
                .put(prev)
                .putLong(seq)
                .putLong(at.getEpochSecond())
                .putInt(at.getNano());
        for (byte[] f : fields) b.putInt(f.length).put(f);
        return b.array();
    }

    static byte[] keyedHash(byte[] key, byte[] prev, long seq, Instant at, String actor, String action, String detail) {
        return AuditKey.mac(key, content(prev, seq, at, actor, action, detail));
    }

    /** The hash of rows written before V13: SHA-256, which anyone can recompute. */
    static byte[] unkeyedHash(byte[] prev, long seq, Instant at, String actor, String action, String detail) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(content(prev, seq, at, actor, action, detail));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
