package dev.payproc.app.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.payproc.core.audit.AuditKey;
import dev.payproc.core.audit.SealKeys;
import dev.payproc.core.card.Sha256;
import dev.payproc.testkit.Await;
import dev.payproc.testkit.Bodies;
import dev.payproc.testkit.H2Client;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.sqlclient.Row;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Every money-moving row is under a keyed seal: an edited posting, payment, stored answer or idempotency record, an
 * event taken out of its seal, and a chain rebuilt without the audit key are all found by {@code GET
 * /admin/audit/verify}; the intact ledger, written by both writers under concurrent load, verifies.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class KeyedSealsIT extends ProcessorIT {
    private String sale; // an automatically captured payment: its authorization event has postings
    private String saleKey, saleBody; // its idempotency key and request
    private H2Client.Response saleAnswer; // and the answer sent
    private String refunded; // captured, then partly refunded: three events, each with postings

    @Override
    protected Map<String, String> env() {
        return Map.of("SETTLEMENT_WRITERS", "2");
    }

    private H2Client.Response verify() {
        return app.admin(HttpMethod.GET, "/admin/audit/verify", null);
    }

    private void assertIntact() {
        H2Client.Response r = verify();
        assertEquals(200, r.status(), r.body());
    }

    /** The verification fails, its problem names a chain and a seal, and contains {@code expected}. */
    private String assertFound(String expected) {
        H2Client.Response r = verify();
        assertEquals(409, r.status(), r.body());
        String problem = r.json().getJsonObject("paymentEvents").getString("problem");
        assertTrue(problem != null && problem.contains(expected), r.body());
        return problem;
    }

    private static void assertNamesSeal(String problem, String chain, long seq) {
        assertTrue(problem.startsWith("chain " + chain + " seal " + seq + ": "), problem);
    }

    private Row sealOf(String table, String where, Object... params) {
        return db.query("SELECT seal_chain, seal_seq FROM " + table + " WHERE " + where, params)
                .iterator()
                .next();
    }

    private H2Client.Response post(String path, String key, String body) {
        return app.client().send(HttpMethod.POST, path, TestProcessor.headers(TestProcessor.API_KEY, key), body);
    }

    /**
     * Sends each request (path, idempotency key, body) in waves of 50 at once; one answered 503 (the adaptive
     * admission of a busy test machine) is sent again with its key, as a terminal would.
     */
    private List<H2Client.Response> concurrently(List<String[]> requests) {
        List<H2Client.Response> answers = new ArrayList<>();
        for (int from = 0; from < requests.size(); from += 50) {
            List<String[]> wave = requests.subList(from, Math.min(requests.size(), from + 50));
            List<Future<H2Client.Response>> sent = new ArrayList<>();
            for (String[] r : wave) {
                sent.add(app.client()
                        .sendAsync(HttpMethod.POST, r[0], TestProcessor.headers(TestProcessor.API_KEY, r[1]), r[2]));
            }
            for (int i = 0; i < wave.size(); i++) {
                H2Client.Response r = Await.result(sent.get(i));
                for (int tries = 0; r.status() == 503 && tries < 50; tries++) {
                    Await.sleep(100);
                    r = post(wave.get(i)[0], wave.get(i)[1], wave.get(i)[2]);
                }
                answers.add(r);
            }
        }
        return answers;
    }

    @Test
    @Order(1)
    void underConcurrentLoadThroughBothWritersEveryRowIsSealedAndTheLedgerVerifies() {
        List<String[]> auths = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            auths.add(new String[] {
                "/v1/authorizations",
                "load-" + UUID.randomUUID(),
                Bodies.valid(Bodies.freshPan())
                        .put("amount", 1000 + i)
                        .put("capture", i % 2 == 0 ? "MANUAL" : "AUTO")
                        .encode()
            });
        }
        List<H2Client.Response> created = concurrently(auths);
        List<String[]> captures = new ArrayList<>();
        for (int i = 0; i < created.size(); i++) {
            assertEquals(201, created.get(i).status(), created.get(i).body());
            if (i % 2 == 0) {
                captures.add(new String[] {
                    "/v1/payments/" + created.get(i).json().getString("id") + "/capture", "cap-" + UUID.randomUUID(), ""
                });
            }
        }
        for (H2Client.Response r : concurrently(captures)) assertEquals(200, r.status(), r.body());

        // A replay alone commits no fresh row: no seal is written and its seq stays free (a gap would be reported).
        String key = "replayed-" + UUID.randomUUID();
        String body = Bodies.valid(Bodies.freshPan()).put("amount", 777).encode();
        H2Client.Response first = app.authorize(key, body);
        assertEquals(201, first.status(), first.body());
        sale = first.json().getString("id");
        saleKey = key;
        saleBody = body;
        saleAnswer = first;
        long seals = db.count("SELECT count(*) FROM event_seals");
        H2Client.Response again = app.authorize(key, body);
        assertEquals(sale, again.json().getString("id"), again.body());
        assertEquals(seals, db.count("SELECT count(*) FROM event_seals"), "a replay writes no seal");
        // Through another process (its memory knows no key): the writer finds the key committed, writes no seal and
        // keeps the seq for the next fresh payment; a consumed seq would leave a gap that verification reports.
        try (TestProcessor second = new TestProcessor(db.settings(), env())) {
            H2Client.Response replayed = second.authorize(key, body);
            assertEquals(sale, replayed.json().getString("id"), replayed.body());
            // Rendered again from the payment row (V17 keeps only the answer's digest): byte for byte the answer sent.
            assertEquals(200, replayed.status(), replayed.body());
            assertEquals("true", replayed.header("Idempotent-Replayed"));
            assertEquals(first.body(), replayed.body());
            assertEquals(seals, db.count("SELECT count(*) FROM event_seals"), "a replay writes no seal");
            for (int i = 0; i < 4; i++) {
                assertEquals(
                        201,
                        second.authorize(
                                        "second-" + i,
                                        Bodies.valid(Bodies.freshPan()).encode())
                                .status());
            }
        }
        assertIntact();
        String toRefund = Bodies.valid(Bodies.freshPan()).put("amount", 5000).encode();
        H2Client.Response r = app.authorize("r-" + UUID.randomUUID(), toRefund);
        refunded = r.json().getString("id");
        assertEquals(
                201,
                post("/v1/payments/" + refunded + "/refunds", "rf-" + UUID.randomUUID(), "{\"amount\":1200}")
                        .status());
        assertEquals(
                201,
                post("/v1/payments/" + refunded + "/refunds", "rf-" + UUID.randomUUID(), "{\"amount\":800}")
                        .status());

        assertTrue(
                db.count("SELECT count(DISTINCT chain_id) FROM event_seals") >= 3,
                "both writers of each process sealed");
        assertEquals(0, db.count("SELECT count(*) FROM event_seals WHERE version <> 3"));
        for (String table : List.of("payment_events", "postings", "payments", "idempotency_keys")) {
            assertEquals(0, db.count("SELECT count(*) FROM " + table + " WHERE seal_chain IS NULL"), table);
        }
        assertTrue(db.count("SELECT count(*) FROM postings") > 300);
        assertIntact();
    }

    @Test
    @Order(2)
    void anEditedPostingAmountIsFound() {
        Row seal = sealOf("postings", "payment_id = $1 AND leg = 1", sale);
        // The sale's authorization legs are generated from its payment row (V16): leg 1 is auth_captured (and leg 2,
        // auth_captured - auth_fee, moves with it), so the stored edit of leg 1's amount is one of auth_captured.
        db.query("UPDATE payments SET auth_captured = auth_captured - 1 WHERE id = $1", sale);
        assertNamesSeal(assertFound("a posting differs"), seal.getString(0), seal.getLong(1));
        db.query("UPDATE payments SET auth_captured = auth_captured + 1 WHERE id = $1", sale);
        assertIntact();

        // One written posting alone, as the edit was before V16: leg 1 of the refunded payment's event 2.
        Row written = sealOf("posting_rows", "payment_id = $1 AND event_seq = 2 AND leg = 1", refunded);
        db.query(
                "UPDATE posting_rows SET amount = amount + 1 WHERE payment_id = $1 AND event_seq = 2 AND leg = 1",
                refunded);
        assertNamesSeal(assertFound("a posting differs"), written.getString(0), written.getLong(1));
        db.query(
                "UPDATE posting_rows SET amount = amount - 1 WHERE payment_id = $1 AND event_seq = 2 AND leg = 1",
                refunded);
        assertIntact();
    }

    @Test
    @Order(3)
    void anEditedPaymentCreationAmountIsFound() {
        Row seal = sealOf("payments", "id = $1", sale);
        // Since V16 the payment's amount is also the amount of its authorization event (the payment_events view
        // generates that event from the payment row); verification checks the seal's payment part first, so the
        // edit is still reported as the payment's.
        db.query("UPDATE payments SET amount = amount + 100 WHERE id = $1", sale);
        assertNamesSeal(assertFound("a payment's creation fields differ"), seal.getString(0), seal.getLong(1));
        db.query("UPDATE payments SET amount = amount - 100 WHERE id = $1", sale);
        assertIntact();
        // A creation field that is the payment's alone (no generated event or posting reads it).
        db.query("UPDATE payments SET terminal_id = terminal_id || 'x' WHERE id = $1", sale);
        assertNamesSeal(assertFound("a payment's creation fields differ"), seal.getString(0), seal.getLong(1));
        db.query("UPDATE payments SET terminal_id = left(terminal_id, -1) WHERE id = $1", sale);
        assertIntact();
    }

    @Test
    @Order(4)
    void anEditedStoredReplayBodyIsFound() {
        Row seal = sealOf("idempotency_keys", "payment_id = $1", sale);
        // An authorization's record keeps the SHA-256 of the answer sent, not its text (V17).
        assertEquals(
                1,
                db.count(
                        "SELECT count(*) FROM idempotency_keys WHERE payment_id = $1 AND response_body IS NULL"
                                + " AND response_digest = sha256(convert_to($2, 'UTF8'))",
                        sale,
                        saleAnswer.body()));
        db.query("UPDATE idempotency_keys SET response_digest = sha256(response_digest) WHERE payment_id = $1", sale);
        assertNamesSeal(
                assertFound("an idempotency record or its stored answer differs"), seal.getString(0), seal.getLong(1));
        db.query(
                "UPDATE idempotency_keys SET response_digest = sha256(convert_to($2, 'UTF8')) WHERE payment_id = $1",
                sale,
                saleAnswer.body());
        assertIntact();
    }

    @Test
    @Order(4)
    void aDeclinedAnswerWithReasonsIsRenderedAgainByteForByte() {
        // Reasons go through jsonb and back (key order, escapes): the answer rendered again must still be the same.
        String key = "declined-" + UUID.randomUUID();
        String body = Bodies.valid(Bodies.freshPan()).put("amount", 1_500_000).encode();
        H2Client.Response first = app.authorize(key, body);
        assertEquals(201, first.status(), first.body());
        assertEquals("DECLINED", first.json().getString("status"), first.body());
        assertFalse(first.json().getJsonArray("reasons").isEmpty(), first.body());
        try (TestProcessor second = new TestProcessor(db.settings(), env())) {
            H2Client.Response replayed = second.authorize(key, body);
            assertEquals(200, replayed.status(), replayed.body());
            assertEquals(first.body(), replayed.body());
        }
        assertIntact();
    }

    @Test
    @Order(4)
    void aReplayIsNeverRenderedFromAnEditedPaymentRow() {
        // The answer a replay renders again must be the one sealed: with the payment row edited it is refused.
        db.query("UPDATE payments SET auth_code = 'FORGED' WHERE id = $1", sale);
        try (TestProcessor second = new TestProcessor(db.settings(), env())) {
            H2Client.Response replayed = second.authorize(saleKey, saleBody);
            assertEquals(500, replayed.status(), replayed.body());
            assertFalse(replayed.body().contains("FORGED"), replayed.body());
        } finally {
            db.query(
                    "UPDATE payments SET auth_code = $2 WHERE id = $1",
                    sale,
                    saleAnswer.json().getString("authCode"));
        }
        assertIntact();
    }

    @Test
    @Order(5)
    void anEditedIdempotencyRecordIsFound() {
        // A refund's record with its request hash swapped: another body would be replayed instead of refused.
        Row seal = sealOf(
                "idempotency_keys",
                "payment_id = $1 AND seal_seq IS NOT NULL ORDER BY created_at DESC LIMIT 1",
                refunded);
        String where = " WHERE seal_chain = $1 AND seal_seq = $2 AND payment_id = $3";
        Buffer original = db.query(
                        "SELECT request_hash FROM idempotency_keys" + where,
                        seal.getString(0),
                        seal.getLong(1),
                        refunded)
                .iterator()
                .next()
                .getBuffer(0);
        db.query(
                "UPDATE idempotency_keys SET request_hash = sha256(request_hash)" + where,
                seal.getString(0),
                seal.getLong(1),
                refunded);
        assertNamesSeal(
                assertFound("an idempotency record or its stored answer differs"), seal.getString(0), seal.getLong(1));
        db.query(
                "UPDATE idempotency_keys SET request_hash = $4" + where,
                seal.getString(0),
                seal.getLong(1),
                refunded,
                original);
        assertIntact();
    }

    @Test
    @Order(6)
    void anEventTakenOutOfItsSealOrAddedWithoutOneIsFound() {
        Row seal = sealOf("payment_events", "payment_id = $1 AND seq = 2", refunded);
        db.query("UPDATE payment_event_rows SET seal_chain = NULL WHERE payment_id = $1 AND seq = 2", refunded);
        String problem = assertFound("event is covered by no seal");
        assertTrue(problem.contains("the first: event " + refunded + " event 2"), problem);
        assertTrue(
                problem.startsWith("chain " + seal.getString(0) + " seal " + seal.getLong(1) + ": sealed "), problem);
        db.query(
                "UPDATE payment_event_rows SET seal_chain = $2 WHERE payment_id = $1 AND seq = 2",
                refunded,
                seal.getString(0));
        assertIntact();

        // A forged refund event and its posting, added without a seal: skipped before, reported now.
        db.query(
                "INSERT INTO payment_event_rows (payment_id, seq, type, status, amount, created_at, merchant_id, feed_seq) "
                        + "SELECT payment_id, 99, 'REFUND', 'REFUNDED', 1, created_at, merchant_id, 1000000 FROM payment_events "
                        + "WHERE payment_id = $1 AND seq = 1",
                sale);
        db.query(
                "INSERT INTO posting_rows (payment_id, event_seq, leg, account, merchant_id, direction, amount, currency, created_at) "
                        + "SELECT payment_id, 99, 1, 'merchant_payable', merchant_id, 'D', 1, currency, created_at FROM postings "
                        + "WHERE payment_id = $1 AND leg = 1",
                sale);
        assertFound("1 event is covered by no seal");
        db.query("DELETE FROM payment_event_rows WHERE payment_id = $1 AND seq = 99", sale);
        assertFound("1 posting is covered by no seal");
        db.query("DELETE FROM posting_rows WHERE payment_id = $1 AND event_seq = 99", sale);
        assertIntact();
    }

    /**
     * Rewrites the links of {@code chain} from seal {@code from} on as {@code link} computes them (prev, digest):
     * what someone with write access to the database can do after an edit.
     */
    private void relink(String chain, long from, java.util.function.BiFunction<Long, byte[][], byte[]> link) {
        byte[] prev = from == 1
                ? new byte[0]
                : db.query("SELECT hash FROM event_seals WHERE chain_id = $1 AND seq = $2", chain, from - 1)
                        .iterator()
                        .next()
                        .getBuffer(0)
                        .getBytes();
        for (Row r : db.query(
                "SELECT seq, digest FROM event_seals WHERE chain_id = $1 AND seq >= $2 ORDER BY seq", chain, from)) {
            byte[] hash =
                    link.apply(r.getLong(0), new byte[][] {prev, r.getBuffer(1).getBytes()});
            db.query(
                    "UPDATE event_seals SET prev_hash = $3, hash = $4 WHERE chain_id = $1 AND seq = $2",
                    chain,
                    r.getLong(0),
                    Buffer.buffer(prev),
                    Buffer.buffer(hash));
            prev = hash;
        }
    }

    /** The posting part and the digest of one seal recomputed from the rows, as verification recomputes them. */
    private void resealPostings(String chain, long seq) {
        db.query("""
                UPDATE event_seals s SET parts = substr(s.parts, 1, 32) || (
                    SELECT sha256(coalesce(string_agg(seal_posting_digest(payment_id, event_seq, leg, account, merchant_id,
                                                                         direction, amount, currency, seal_ms(created_at)),
                                                      ''::bytea ORDER BY payment_id, event_seq, leg), ''::bytea))
                    FROM postings WHERE seal_chain = s.chain_id AND seal_seq = s.seq) || substr(s.parts, 65)
                WHERE chain_id = $1 AND seq = $2""", chain, seq);
        db.query("UPDATE event_seals SET digest = sha256(parts) WHERE chain_id = $1 AND seq = $2", chain, seq);
    }

    @Test
    @Order(7)
    void aChainRebuiltWithoutTheKeyIsFound() {
        Row seal = sealOf("postings", "payment_id = $1 AND leg = 1", sale);
        String chain = seal.getString(0);
        long seq = seal.getLong(1);
        // Legs 1 and 2 of the sale's authorization both 5 off, still balanced: generated from the payment row (V16),
        // both are auth_captured (less the fee for leg 2), which cannot exceed the amount, so 5 less rather than more.
        db.query("UPDATE payments SET auth_captured = auth_captured - 5 WHERE id = $1", sale);
        resealPostings(chain, seq);

        // Rebuilt the unkeyed (pre-V12) way: every digest and link consistent, no key.
        relink(chain, seq, (n, in) -> SealKeys.unkeyedLink(in[0], in[1]));
        assertNamesSeal(assertFound("the link is not keyed with the audit key"), chain, seq);

        // Rebuilt keyed, but under another key.
        AuditKey other = new AuditKey(Sha256.of("not the audit key"));
        relink(chain, seq, (n, in) -> SealKeys.link(other, chain, n, in[0], in[1]));
        assertNamesSeal(assertFound("the link is not keyed with the audit key"), chain, seq);

        // Rebuilt with the key itself, the edit would pass: the key is what protects the chain.
        AuditKey key = app.config().auditKey();
        relink(chain, seq, (n, in) -> SealKeys.link(key, chain, n, in[0], in[1]));
        assertIntact();
    }
}
