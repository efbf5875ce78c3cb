package dev.payproc.app.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.payproc.core.audit.AuditKey;
import dev.payproc.testkit.H2Client;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/**
 * The admin audit is a keyed chain: an insider who can write the database but does not hold AUDIT_HMAC_KEY can neither
 * edit a row (recomputing its hash the unkeyed way) nor append one; a chain written before it was keyed is re-keyed
 * once at start when intact, and left for verification to report when not.
 */
class AdminAuditIT extends ProcessorIT {
    private static final byte[] GENESIS = new byte[32];

    private H2Client.Response admin(HttpMethod method, String path, String body) {
        return app.admin(method, path, body);
    }

    private H2Client.Response verify(String query) {
        return admin(HttpMethod.GET, "/admin/audit/verify" + query, null);
    }

    /** A fresh trail of {@code n} admin changes made through the API, verified intact. */
    private void freshTrail(int n) {
        db.query("TRUNCATE admin_audit");
        for (int i = 0; i < n; i++) {
            H2Client.Response put =
                    admin(HttpMethod.PUT, "/admin/config", "{\"settlementBatchCap\":" + (100 + i) + "}");
            assertEquals(200, put.status(), put.body());
        }
        H2Client.Response ok = verify("");
        assertEquals(200, ok.status(), ok.body());
        assertEquals(n, ok.json().getLong("checked"));
    }

    /** The hash the chain had before it was keyed, as anyone can compute it: SHA-256 over prev || content. */
    static byte[] unkeyed(byte[] prev, long seq, OffsetDateTime at, String actor, String action, String detail)
            throws Exception {
        return MessageDigest.getInstance("SHA-256").digest(content(prev, seq, at, actor, action, detail));
    }

    /** A keyed hash under some key (not the processor's: an insider does not hold it). */
    static byte[] keyedWith(
            AuditKey key, byte[] prev, long seq, OffsetDateTime at, String actor, String action, String detail) {
        return AuditKey.mac(key.derive("admin audit"), content(prev, seq, at, actor, action, detail));
    }

    private static byte[] content(
            byte[] prev, long seq, OffsetDateTime at, String actor, String action, String detail) {
        ByteBuffer b = ByteBuffer.allocate(4096)
                .put(prev)
                .putLong(seq)
                .putLong(at.toInstant().getEpochSecond())
                .putInt(at.toInstant().getNano());
        for (String s : new String[] {actor, action, detail}) {
            byte[] f = s.getBytes(StandardCharsets.UTF_8);
            b.putInt(f.length).put(f);
        }
        byte[] out = new byte[b.position()];
        b.flip().get(out);
        return out;
    }

    private Row row(long seq) {
        return db.query("SELECT at, actor, action, detail, prev_hash, hash FROM admin_audit WHERE seq = $1", seq)
                .iterator()
                .next();
    }

    @Test
    void aRowEditedWithItsHashAndTheChainAfterItRecomputedTheUnkeyedWayIsFound() throws Exception {
        freshTrail(4);
        // The insider edits row 2 and rebuilds the chain from there on as the unkeyed chain was built.
        byte[] prev = row(2).getBuffer("prev_hash").getBytes();
        for (long seq = 2; seq <= 4; seq++) {
            Row r = row(seq);
            String detail = seq == 2 ? "{\"settlementBatchCap\":999}" : r.getString("detail");
            byte[] hash =
                    unkeyed(prev, seq, r.getOffsetDateTime("at"), r.getString("actor"), r.getString("action"), detail);
            db.query(
                    "UPDATE admin_audit SET detail = $2, prev_hash = $3, hash = $4 WHERE seq = $1",
                    seq,
                    detail,
                    Buffer.buffer(prev),
                    Buffer.buffer(hash));
            prev = hash;
        }
        H2Client.Response edited = verify("");
        assertEquals(409, edited.status(), edited.body());
        assertEquals(2, edited.json().getLong("brokenAt"), edited.body());
        assertTrue(edited.json().getString("problem").contains("changed"), edited.body());
    }

    @Test
    void aForgedRowAppendedWithAnUnkeyedOrWrongKeyHashIsFound() throws Exception {
        AuditKey wrongKey = new AuditKey(new byte[32]);
        for (String forgery : new String[] {"unkeyed", "unkeyed, claiming to be keyed", "keyed with another key"}) {
            freshTrail(3);
            byte[] prev = row(3).getBuffer("hash").getBytes();
            OffsetDateTime at = OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MICROS);
            String actor = "admin", action = "config.put", detail = "{\"maxInFlight\":1}";
            byte[] hash = forgery.startsWith("keyed")
                    ? keyedWith(wrongKey, prev, 4, at, actor, action, detail)
                    : unkeyed(prev, 4, at, actor, action, detail);
            db.query(
                    "INSERT INTO admin_audit (seq, at, actor, action, detail, prev_hash, hash) "
                            + "VALUES (4, $1, $2, $3, $4, $5, $6)",
                    at,
                    actor,
                    action,
                    detail,
                    Buffer.buffer(prev),
                    Buffer.buffer(hash));
            if (forgery.equals("unkeyed, claiming to be keyed") || forgery.startsWith("keyed"))
                db.query("UPDATE admin_audit SET hash_version = 1 WHERE seq = 4");
            H2Client.Response forged = verify("");
            assertEquals(409, forged.status(), forgery + ": " + forged.body());
            assertEquals(4, forged.json().getLong("brokenAt"), forgery + ": " + forged.body());
            assertTrue(
                    forged.json().getString("problem").contains(forgery.equals("unkeyed") ? "not keyed" : "changed"),
                    forgery + ": " + forged.body());
        }
    }

    /** Writes {@code n} rows as the processor wrote them before the chain was keyed (unkeyed SHA-256). */
    private void legacyTrail(int n, Long editAfterwards) throws Exception {
        db.query("TRUNCATE admin_audit");
        byte[] prev = GENESIS;
        OffsetDateTime start = OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MICROS);
        for (long seq = 1; seq <= n; seq++) {
            OffsetDateTime at = start.plusSeconds(seq);
            String actor = "sre-" + seq, action = "config.put", detail = "{\"settlementBatchCap\":" + seq + "}";
            byte[] hash = unkeyed(prev, seq, at, actor, action, detail);
            db.query(
                    "INSERT INTO admin_audit (seq, at, actor, action, detail, prev_hash, hash) "
                            + "VALUES ($1, $2, $3, $4, $5, $6, $7)",
                    seq,
                    at,
                    actor,
                    action,
                    detail,
                    Buffer.buffer(prev),
                    Buffer.buffer(hash));
            prev = hash;
        }
        if (editAfterwards != null)
            db.query("UPDATE admin_audit SET detail = 'nothing to see' WHERE seq = $1", editAfterwards);
    }

    @Test
    void anIntactChainWrittenBeforeKeyingIsReKeyedOnceAtStartAndABrokenOneIsNot() throws Exception {
        legacyTrail(3, null);
        try (TestProcessor restarted = new TestProcessor(db.settings())) {
            H2Client.Response ok = verify("");
            assertEquals(200, ok.status(), ok.body());
            assertEquals(4, ok.json().getLong("checked"), ok.body());
        }
        assertEquals(0, db.count("SELECT count(*) FROM admin_audit WHERE hash_version <> 1"), "every row is keyed");
        JsonArray entries =
                admin(HttpMethod.GET, "/admin/audit?limit=10", null).json().getJsonArray("entries");
        JsonObject rekeyed = entries.getJsonObject(0);
        assertEquals("audit.rekeyed", rekeyed.getString("action"), entries.encode());
        assertEquals("payproc (start-up)", rekeyed.getString("actor"), entries.encode());
        assertTrue(rekeyed.getString("detail").startsWith("3 rows"), entries.encode());
        assertEquals("sre-1", entries.getJsonObject(3).getString("actor"), "the rows themselves are as they were");
        // Once keyed, an unkeyed row is never re-keyed again: a later start leaves the forgery for verify to find.
        byte[] prev = row(4).getBuffer("hash").getBytes();
        OffsetDateTime at = OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MICROS);
        db.query(
                "INSERT INTO admin_audit (seq, at, actor, action, detail, prev_hash, hash) "
                        + "VALUES (5, $1, 'admin', 'config.put', 'x', $2, $3)",
                at,
                Buffer.buffer(prev),
                Buffer.buffer(unkeyed(prev, 5, at, "admin", "config.put", "x")));
        try (TestProcessor restarted = new TestProcessor(db.settings())) {
            H2Client.Response forged = verify("");
            assertEquals(409, forged.status(), forged.body());
            assertEquals(5, forged.json().getLong("brokenAt"), forged.body());
        }

        legacyTrail(3, 2L);
        try (TestProcessor restarted = new TestProcessor(db.settings())) {
            H2Client.Response broken = verify("");
            assertEquals(409, broken.status(), broken.body());
            assertEquals(1, broken.json().getLong("brokenAt"), broken.body());
            assertTrue(broken.json().getString("problem").contains("not keyed"), broken.body());
        }
        assertEquals(0, db.count("SELECT count(*) FROM admin_audit WHERE hash_version = 1"), "not re-keyed");
        assertEquals(3, db.count("SELECT count(*) FROM admin_audit"), "and no entry claims it was");
    }

    @Test
    void theNewestRowsCutOffLeaveAValidChainButBreakTheAdminAnchor() {
        freshTrail(5);
        String head =
                "admin:5:" + HexFormat.of().formatHex(row(5).getBuffer("hash").getBytes());
        JsonArray anchors =
                admin(HttpMethod.GET, "/admin/audit/anchors", null).json().getJsonArray("anchors");
        assertTrue(anchors.contains(head), anchors.encode());
        H2Client.Response held = verify("?anchor=" + head);
        assertEquals(200, held.status(), held.body());
        assertEquals(1, held.json().getJsonObject("anchors").getInteger("checked"));

        db.query("DELETE FROM admin_audit WHERE seq >= 4");
        H2Client.Response alone = verify("");
        assertEquals(200, alone.status(), "the chain alone cannot tell its tail was cut: " + alone.body());
        H2Client.Response cut = verify("?anchor=" + head);
        assertEquals(409, cut.status(), cut.body());
        assertFalse(cut.json().getBoolean("intact"));
        assertEquals(
                "anchor chain admin row 5: the anchored row is gone (deleted)",
                cut.json().getJsonObject("anchors").getString("problem"),
                cut.body());

        String changed = "admin:3:" + "0".repeat(64);
        H2Client.Response edited = verify("?anchor=" + changed);
        assertEquals(409, edited.status(), edited.body());
        assertEquals(
                "anchor chain admin row 3: the anchored row has another hash (edited)",
                edited.json().getJsonObject("anchors").getString("problem"),
                edited.body());
    }
}
