package dev.payproc.app.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.payproc.core.card.Sha256;
import dev.payproc.testkit.Bodies;
import dev.payproc.testkit.H2Client;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.UUID;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/** Payment state changes are sealed in hash chains; verification finds an edited or deleted event or seal. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class EventSealsIT extends ProcessorIT {
    private H2Client.Response verify() {
        return admin("/admin/audit/verify");
    }

    private String authorizeManual(long amount) {
        H2Client.Response r = app.authorize(
                "s-" + UUID.randomUUID(),
                Bodies.valid(Bodies.freshPan())
                        .put("amount", amount)
                        .put("capture", "MANUAL")
                        .encode());
        assertEquals(201, r.status(), r.body());
        return r.json().getString("id");
    }

    private JsonObject events(H2Client.Response r) {
        return r.json().getJsonObject("paymentEvents");
    }

    @Test
    @Order(1)
    void everyStateChangeIsSealedAndTheChainsVerify() {
        for (int i = 0; i < 6; i++) {
            String id = authorizeManual(1000 + i);
            H2Client.Response captured = app.client()
                    .send(
                            HttpMethod.POST,
                            "/v1/payments/" + id + "/capture",
                            TestProcessor.headers(TestProcessor.API_KEY, "c-" + UUID.randomUUID()),
                            "");
            assertEquals(200, captured.status(), captured.body());
        }
        assertEquals(
                0, db.count("SELECT count(*) FROM payment_events WHERE seal_chain IS NULL"), "every event is sealed");
        assertEquals(12, db.count("SELECT count(*) FROM payment_events"));
        H2Client.Response ok = verify();
        assertEquals(200, ok.status(), ok.body());
        assertTrue(events(ok).getBoolean("intact"));
        assertEquals(12, events(ok).getLong("events"));
        assertTrue(events(ok).getLong("seals") >= 2, ok.body());

        // Anchors kept outside the database: they hold now; a seal that is gone or differs breaks them.
        JsonArray anchors = admin("/admin/audit/anchors").json().getJsonArray("anchors");
        assertEquals(db.count("SELECT count(DISTINCT chain_id) FROM event_seals"), anchors.size(), anchors.encode());
        String anchor = anchors.getString(0);
        H2Client.Response held = admin("/admin/audit/verify?anchor=" + anchor);
        assertEquals(200, held.status(), held.body());
        assertEquals(1, held.json().getJsonObject("anchors").getInteger("checked"));
        String head = anchor.substring(0, anchor.lastIndexOf(':'));
        String chain = head.substring(0, head.lastIndexOf(':'));
        long seq = Long.parseLong(head.substring(head.lastIndexOf(':') + 1));
        H2Client.Response gone = admin("/admin/audit/verify?anchor=" + chain + ":" + (seq + 1) + ":" + "ab".repeat(32));
        assertEquals(409, gone.status(), gone.body());
        assertTrue(gone.json().getJsonObject("anchors").getString("problem").contains("deleted"), gone.body());
        H2Client.Response edited = admin("/admin/audit/verify?anchor=" + head + ":" + "0".repeat(64));
        assertEquals(409, edited.status(), edited.body());
        assertTrue(edited.json().getJsonObject("anchors").getString("problem").contains("edited"), edited.body());
        assertEquals(
                400,
                admin("/admin/audit/verify?anchor=" + chain + ":x:" + "0".repeat(64))
                        .status());
        assertEquals(400, admin("/admin/audit/verify?anchor=nohash").status());
    }

    private H2Client.Response admin(String path) {
        return app.admin(HttpMethod.GET, path, null);
    }

    @Test
    @Order(2)
    void anEditedEventIsFound() {
        db.query("UPDATE payment_event_rows SET amount = amount - 1 WHERE type = 'CAPTURE' AND amount = 1003");
        H2Client.Response r = verify();
        assertEquals(409, r.status(), r.body());
        assertFalse(r.json().getBoolean("intact"));
        assertTrue(events(r).getString("problem").contains("edited"), r.body());
        db.query(
                "UPDATE payment_event_rows SET amount = amount + 1 WHERE type = 'CAPTURE' AND amount = 1002 "
                        + "AND payment_id = (SELECT payment_id FROM payment_events WHERE type = 'AUTHORIZATION' AND amount = 1003)");
        assertEquals(200, verify().status(), "restored, it verifies again");
    }

    @Test
    @Order(3)
    void aDeletedEventIsFound() {
        db.query("DELETE FROM posting_rows WHERE (payment_id, event_seq) IN "
                + "(SELECT payment_id, seq FROM payment_events WHERE type = 'CAPTURE' AND amount = 1004)");
        db.query("DELETE FROM payment_event_rows WHERE type = 'CAPTURE' AND amount = 1004");
        H2Client.Response r = verify();
        assertEquals(409, r.status(), r.body());
        assertTrue(events(r).getString("problem").contains("deleted"), r.body());
    }

    @Test
    @Order(4)
    void aDeletedSealIsFound() {
        db.query("DELETE FROM payment_event_rows WHERE type = 'CAPTURE' AND amount = 1004"); // no-op, already gone
        db.query("DELETE FROM event_seals WHERE (chain_id, seq) = "
                + "(SELECT seal_chain, seal_seq FROM payment_events WHERE type = 'AUTHORIZATION' AND amount = 1000)");
        H2Client.Response r = verify();
        assertEquals(409, r.status(), r.body());
        assertTrue(events(r).getString("problem").matches(".*(deleted|missing|does not follow).*"), r.body());
    }

    @Test
    @Order(5)
    void theEventDigestIsInlinedIntoTheBatchStatementsAndUnchanged() {
        // Not inlined, PostgreSQL parses and plans the function's body again on every batch (V8).
        String plan = db.explain("(VERBOSE) SELECT payment_event_digest('pay_1', 1, 'AUTHORIZATION', 'APPROVED', 1250, "
                + "timestamptz '2023-11-14 22:13:20.123+00')");
        assertTrue(plan.contains("sha256(") && !plan.contains("payment_event_digest("), plan);
        // The seals already written are verified against this digest, so its value must not change.
        Buffer digest = db.query(
                        "SELECT payment_event_digest($1, 1, 'AUTHORIZATION', 'APPROVED', 1250, $2)",
                        "pay_1",
                        OffsetDateTime.parse("2023-11-14T22:13:20.123Z"))
                .iterator()
                .next()
                .getBuffer(0);
        assertTrue(Arrays.equals(Sha256.of("pay_1|1|AUTHORIZATION|APPROVED|1250|1700000000123"), digest.getBytes()));
    }
}
