package dev.payproc.app.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.payproc.ledger.schema.Migrations;
import dev.payproc.testkit.Await;
import dev.payproc.testkit.Bodies;
import dev.payproc.testkit.H2Client;
import dev.payproc.testkit.TestDatabase;
import io.vertx.core.http.HttpMethod;
import io.vertx.sqlclient.Row;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A database written before V12 (unkeyed seals over events only, postings, payments and idempotency records under no
 * seal, events from before the seals) is carried forward once at start: intact chains re-keyed, every unsealed row
 * sealed, and then it verifies; a broken legacy chain is reported and left as it was; an unkeyed chain added later
 * is never re-keyed.
 */
class LegacySealsIT {
    private static final Logger SEALS_LOG = Logger.getLogger("dev.payproc.ledger.audit.LegacySeals");

    private TestDatabase db;
    private final List<LogRecord> logged = new CopyOnWriteArrayList<>();
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord r) {
            logged.add(r);
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
    };

    @BeforeEach
    void v11Database() {
        SEALS_LOG.addHandler(capture);
        db = new TestDatabase();
        Await.result(Migrations.applyThrough(db.pool(), 11));
    }

    @AfterEach
    void drop() {
        SEALS_LOG.removeHandler(capture);
        db.close();
    }

    /**
     * A sale as the V11 writers stored it: its event in seal {@code seq} of {@code chain} (null: before the seals).
     * Before V16 its event and postings go into the tables payment_events and postings; once a processor has migrated
     * the database (V16 made those names views), into the tables they became, payment_event_rows and posting_rows,
     * where every row written before V16 is carried (its payment's auth_* columns NULL).
     */
    private void legacySale(String id, long amount, String chain, Long seq) {
        boolean v16 = db.count("SELECT count(*) FROM pg_tables WHERE tablename = 'payment_event_rows'") > 0;
        String events = v16 ? "payment_event_rows" : "payment_events";
        String postings = v16 ? "posting_rows" : "postings";
        OffsetDateTime at = OffsetDateTime.parse("2026-11-30T10:15:30.123Z");
        db.query(
                "INSERT INTO payments (id, merchant_id, terminal_id, status, amount, currency, captured_amount, auth_code, "
                        + "risk_score, reasons, rule_set_version, card_token, card_fingerprint, masked_pan, card_bin, "
                        + "card_expiry, entry_mode, mcc, merchant_country, cardholder_verification, capture_mode, "
                        + "created_at, fee_amount) VALUES ($1, 'm-1001', 't-1', 'CAPTURED', $2, 'EUR', $2, 'A1B2C3', 0, "
                        + "'[]', 1, 'tok_' || $1, 'fp_' || $1, '411111******1111', '411111', '12/30', 'CHIP', '5411', "
                        + "'DE', 'PIN', 'AUTO', $3, 0)",
                id,
                amount,
                at);
        // After V18, as someone with write access would forge it: in the merchant's feed, at its next sequence.
        boolean v18 = db.count("SELECT count(*) FROM pg_tables WHERE tablename = 'merchant_feed_heads'") > 0;
        db.query(
                "INSERT INTO " + events + " (payment_id, seq, type, status, amount, created_at, seal_chain, seal_seq"
                        + (v18 ? ", merchant_id, feed_seq" : "")
                        + ") VALUES ($1, 1, 'AUTHORIZATION', 'CAPTURED', $2, $3, $4, $5"
                        + (v18
                                ? ", 'm-1001', (SELECT head + 1 FROM merchant_feed_heads WHERE merchant_id = 'm-1001')"
                                : "")
                        + ")",
                id,
                amount,
                at,
                chain,
                seq);
        if (v18) db.query("UPDATE merchant_feed_heads SET head = head + 1 WHERE merchant_id = 'm-1001'");
        db.query(
                "INSERT INTO " + postings + " (payment_id, event_seq, leg, account, merchant_id, direction, amount, "
                        + "currency, "
                        + "created_at) VALUES ($1, 1, 1, 'cardholder_funding', 'm-1001', 'D', $2, 'EUR', $3), "
                        + "($1, 1, 2, 'merchant_payable', 'm-1001', 'C', $2, 'EUR', $3)",
                id,
                amount,
                at);
        db.query(
                "INSERT INTO idempotency_keys (merchant_id, idempotency_key, request_hash, payment_id, response_status, "
                        + "response_body, created_at) VALUES ('m-1001', 'legacy-' || $1, sha256(convert_to($1, 'UTF8')), "
                        + "$1, 201, '{\"id\":\"' || $1 || '\"}', $2)",
                id,
                at);
    }

    /** Seal {@code seq} of {@code chain} as V5-V11 wrote it: over its events only, linked with unkeyed SHA-256. */
    private void sealTheOldWay(String chain, long seq) {
        db.query("""
                INSERT INTO event_seals (chain_id, seq, events, digest, prev_hash, hash)
                SELECT $1, $2, b.n, b.d, p.prev, sha256(p.prev || b.d)
                FROM (SELECT count(*)::int AS n,
                             sha256(string_agg(payment_event_digest(payment_id, seq, type, status, amount, created_at),
                                               ''::bytea ORDER BY payment_id, seq)) AS d
                      FROM payment_events WHERE seal_chain = $1 AND seal_seq = $2) b,
                     (SELECT coalesce((SELECT hash FROM event_seals WHERE chain_id = $1 AND seq = $2 - 1), ''::bytea)
                        AS prev) p""", chain, seq);
    }

    private static H2Client.Response verify(TestProcessor app) {
        return app.admin(HttpMethod.GET, "/admin/audit/verify", null);
    }

    private long unkeyedSeals(String chain) {
        return db.count(
                "SELECT count(*) FROM event_seals WHERE chain_id = $1 AND hash = sha256(prev_hash || digest)", chain);
    }

    private Row record() {
        return db.query(
                        "SELECT chains_rekeyed, seals_rekeyed, chains_broken, rows_sealed, legacy_chain FROM seal_rekeying")
                .iterator()
                .next();
    }

    private boolean loggedAt(Level level, String part) {
        return logged.stream()
                .anyMatch(r -> r.getLevel().equals(level) && r.getMessage().contains(part));
    }

    @Test
    void unkeyedLegacyChainsAreReKeyedOnceAndUnsealedRowsSealedAtStartThenTheLedgerVerifies() {
        legacySale("pay_old1", 1000, "writer-old-a", 1L);
        legacySale("pay_old2", 2000, "writer-old-a", 1L);
        sealTheOldWay("writer-old-a", 1);
        legacySale("pay_old3", 3000, "writer-old-a", 2L);
        sealTheOldWay("writer-old-a", 2);
        legacySale("pay_old4", 4000, "writer-old-b", 1L);
        sealTheOldWay("writer-old-b", 1);
        legacySale("pay_old5", 5000, null, null); // written before the seals (V5)
        assertEquals(3, unkeyedSeals("writer-old-a") + unkeyedSeals("writer-old-b"));

        try (TestProcessor app = new TestProcessor(db.settings())) {
            H2Client.Response ok = verify(app);
            assertEquals(200, ok.status(), ok.body());
            Row r = record();
            assertEquals(2, r.getInteger("chains_rekeyed"));
            assertEquals(3L, r.getLong("seals_rekeyed"));
            assertEquals(0, r.getInteger("chains_broken"));
            // pay_old5's event; every payment, its two postings and its idempotency record.
            assertEquals(1 + 5 + 10 + 5, r.getLong("rows_sealed"));
            assertEquals(0, unkeyedSeals("writer-old-a") + unkeyedSeals("writer-old-b"), "no unkeyed seal is left");
            assertEquals(
                    1, db.count("SELECT count(*) FROM event_seals WHERE version = 1 AND chain_id = 'writer-old-b'"));
            assertTrue(
                    loggedAt(
                            Level.INFO,
                            "2 unkeyed chains (3 seals) re-keyed, 0 broken chains left unkeyed, 21 "
                                    + "unsealed rows sealed in " + r.getString("legacy_chain")),
                    logged.toString());

            // The anchors name the re-keyed heads, and the writers go on sealing.
            String anchors =
                    app.admin(HttpMethod.GET, "/admin/audit/anchors", null).body();
            String head = db.query(
                            "SELECT encode(hash, 'hex') FROM event_seals WHERE chain_id = 'writer-old-a' AND seq = 2")
                    .iterator()
                    .next()
                    .getString(0);
            assertTrue(anchors.contains("writer-old-a:2:" + head), anchors);
            assertEquals(
                    201,
                    app.authorize(
                                    "k-" + UUID.randomUUID(),
                                    Bodies.valid(Bodies.freshPan()).encode())
                            .status());
            assertEquals(200, verify(app).status());
        }

        // Someone with write access adds a chain the unkeyed way: the next start does not re-key it, it is reported.
        legacySale("pay_forged", 900, "writer-forged", 1L);
        sealTheOldWay("writer-forged", 1);
        logged.clear();
        try (TestProcessor app = new TestProcessor(db.settings())) {
            assertEquals(1, unkeyedSeals("writer-forged"), "not re-keyed");
            H2Client.Response found = verify(app);
            assertEquals(409, found.status(), found.body());
            String problem = found.json().getJsonObject("paymentEvents").getString("problem");
            assertTrue(problem.startsWith("chain writer-forged seal 1: the link is not keyed"), problem);
            assertTrue(logged.stream().noneMatch(l -> l.getMessage().contains("re-keyed")), logged.toString());
        }
    }

    @Test
    void aBrokenLegacyChainIsReportedNotReKeyed() {
        legacySale("pay_good", 1000, "writer-old-good", 1L);
        sealTheOldWay("writer-old-good", 1);
        legacySale("pay_bad1", 2000, "writer-old-bad", 1L);
        sealTheOldWay("writer-old-bad", 1);
        legacySale("pay_bad2", 3000, "writer-old-bad", 2L);
        sealTheOldWay("writer-old-bad", 2);
        // Edited after its seal, still at V11 (no processor has migrated the database yet): payment_events is a table.
        db.query("UPDATE payment_events SET amount = 2500 WHERE payment_id = 'pay_bad1'");

        try (TestProcessor app = new TestProcessor(db.settings())) {
            H2Client.Response found = verify(app);
            assertEquals(409, found.status(), found.body());
            String problem = found.json().getJsonObject("paymentEvents").getString("problem");
            assertTrue(problem.startsWith("chain writer-old-bad seal 1: an event differs"), problem);
            Row r = record();
            assertEquals(1, r.getInteger("chains_rekeyed"));
            assertEquals(1, r.getInteger("chains_broken"));
            assertEquals(2, unkeyedSeals("writer-old-bad"), "the broken chain is left as it was");
            assertEquals(0, unkeyedSeals("writer-old-good"));
            assertTrue(
                    loggedAt(Level.SEVERE, "legacy seal chain writer-old-bad is broken at seal 1"), logged.toString());
            assertTrue(
                    loggedAt(Level.INFO, "1 unkeyed chains (1 seals) re-keyed, 1 broken chains left unkeyed"),
                    logged.toString());
        }
    }
}
