package dev.payproc.ledger.audit;

import dev.payproc.core.port.AuditTrail;
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
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * The tamper-evident admin audit trail. Appends take an advisory lock, so processes sharing the database
 * extend one chain; each hash is SHA-256 over the previous hash and the row's content, so {@link #verify}
 * finds the first row that was edited, and a deleted row breaks the sequence or the chain after it.
 */
public final class AdminAudit implements AuditTrail {
    private static final long LOCK_ID = 0x61756469745f6cL; // "audit_l"
    private static final byte[] GENESIS = new byte[32];

    private final Pool pool;

    public AdminAudit(Pool pool) {
        this.pool = pool;
    }

    /** Appends one entry (inside {@code conn}'s transaction when the change itself is transactional). */
    public static Future<Entry> append(SqlConnection conn, String actor, String action, String detail) {
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
                    byte[] hash = hash(prev, seq, at, actor, action, detail);
                    return conn.preparedQuery(
                                    "INSERT INTO admin_audit (seq, at, actor, action, detail, prev_hash, hash) "
                                            + "VALUES ($1, $2, $3, $4, $5, $6, $7)")
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
    public Future<Entry> append(String actor, String action, String detail) {
        return pool.withTransaction(conn -> append(conn, actor, action, detail));
    }

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

    /** Walks the whole chain in order. */
    public Future<Verification> verify() {
        return pool.query("SELECT seq, at, actor, action, detail, prev_hash, hash FROM admin_audit ORDER BY seq")
                .execute()
                .map(rows -> {
                    byte[] prev = GENESIS;
                    long expectedSeq = 1;
                    long checked = 0;
                    for (Row r : rows) {
                        long seq = r.getLong(0);
                        if (seq != expectedSeq)
                            return new Verification(checked, expectedSeq, "row " + expectedSeq + " is missing");
                        if (!MessageDigest.isEqual(prev, r.getBuffer(5).getBytes())) {
                            return new Verification(checked, seq, "row " + seq + " does not follow the row before it");
                        }
                        OffsetDateTime at = r.getOffsetDateTime(1);
                        byte[] hash = hash(prev, seq, at.toInstant(), r.getString(2), r.getString(3), r.getString(4));
                        if (!MessageDigest.isEqual(hash, r.getBuffer(6).getBytes())) {
                            return new Verification(checked, seq, "row " + seq + " was changed after it was written");
                        }
                        prev = hash;
                        expectedSeq++;
                        checked++;
                    }
                    return new Verification(checked, null, null);
                });
    }

    static byte[] hash(byte[] prev, long seq, Instant at, String actor, String action, String detail) {
        try {
            MessageDigest d = MessageDigest.getInstance("SHA-256");
            d.update(prev);
            d.update(ByteBuffer.allocate(20)
                    .putLong(seq)
                    .putLong(at.getEpochSecond())
                    .putInt(at.getNano())
                    .array());
            for (String s : new String[] {actor, action, detail}) {
                byte[] b = s.getBytes(StandardCharsets.UTF_8);
                d.update(ByteBuffer.allocate(4)
                        .putInt(b.length)
                        .array()); // length-prefixed: no ambiguity between fields
                d.update(b);
            }
            return d.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
