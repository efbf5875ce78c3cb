package dev.payproc.app.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.payproc.ledger.schema.Migrations;
import dev.payproc.testkit.Await;
import dev.payproc.testkit.Bodies;
import dev.payproc.testkit.H2Client;
import dev.payproc.testkit.TestDatabase;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The feed's sequences are tamper-evident: one edited, two swapped, or one of an event written before V18 edited is
 * found by {@code GET /admin/audit/verify}; and a database of V17 is carried forward numbered in (created_at,
 * payment, event) order, verifying, its feed going on from there.
 */
class FeedSealsIT extends ProcessorIT {
    private H2Client.Response verify(TestProcessor p) {
        return p.admin(HttpMethod.GET, "/admin/audit/verify", null);
    }

    private String assertFound(String expected) {
        H2Client.Response r = verify(app);
        assertEquals(409, r.status(), r.body());
        String problem = r.json().getJsonObject("paymentEvents").getString("problem");
        assertTrue(problem != null && problem.contains(expected), r.body());
        return problem;
    }

    private String manualCapturedAndRefunded() {
        H2Client.Response r = app.authorize(
                "a-" + UUID.randomUUID(),
                Bodies.valid(Bodies.freshPan())
                        .put("capture", "MANUAL")
                        .put("amount", 4000)
                        .encode());
        String id = r.json().getString("id");
        for (String[] op : new String[][] {{"capture", "{}"}, {"refunds", "{\"amount\":1000}"}}) {
            H2Client.Response o = app.client()
                    .send(
                            HttpMethod.POST,
                            "/v1/payments/" + id + "/" + op[0],
                            TestProcessor.headers(TestProcessor.API_KEY, "op-" + UUID.randomUUID()),
                            op[1]);
            assertTrue(o.status() == 200 || o.status() == 201, o.body());
        }
        return id;
    }

    @Test
    void anEditedOrSwappedFeedSequenceIsFound() {
        String id = manualCapturedAndRefunded();
        assertEquals(200, verify(app).status());

        // An authorization's sequence (a column of its payment row) moved past the head.
        db.query("UPDATE payments SET feed_seq = feed_seq + 1000 WHERE id = $1", id);
        String problem = assertFound("an event's feed sequence or merchant differs from what was sealed (edited)");
        assertTrue(problem.contains("; and the feed of merchant m-1001: its feed sequences run"), problem);
        db.query("UPDATE payments SET feed_seq = feed_seq - 1000 WHERE id = $1", id);
        assertEquals(200, verify(app).status());

        // A lifecycle event's row moved to another merchant's feed.
        db.query("UPDATE payment_event_rows SET merchant_id = 'm-2002' WHERE payment_id = $1 AND seq = 2", id);
        assertFound("an event's feed sequence or merchant differs from what was sealed (edited)");
        db.query("UPDATE payment_event_rows SET merchant_id = 'm-1001' WHERE payment_id = $1 AND seq = 2", id);

        // Two sequences of one batch swapped: the same set, in another order.
        List<String> pay = new ArrayList<>();
        for (int i = 0; i < 6; i++) pay.add("b-" + UUID.randomUUID());
        StringBuilder items = new StringBuilder("{\"items\":[");
        for (int i = 0; i < pay.size(); i++) {
            if (i > 0) items.append(',');
            items.append(Bodies.valid(Bodies.freshPan())
                    .put("idempotencyKey", pay.get(i))
                    .encode());
        }
        assertEquals(200, app.batch(items.append("]}").toString()).status());
        Row two = db.query("SELECT a.id, b.id, a.feed_seq, b.feed_seq FROM payments a JOIN payments b "
                        + "ON a.seal_chain = b.seal_chain AND a.seal_seq = b.seal_seq AND a.feed_seq < b.feed_seq "
                        + "ORDER BY a.feed_seq DESC LIMIT 1")
                .iterator()
                .next();
        swap(two.getString(0), two.getString(1), two.getLong(2), two.getLong(3));
        assertFound("an event's feed sequence or merchant differs from what was sealed (edited)");
        swap(two.getString(0), two.getString(1), two.getLong(3), two.getLong(2));

        // The head set back: the next commit would reuse a sequence.
        db.query("UPDATE merchant_feed_heads SET head = head - 1 WHERE merchant_id = 'm-1001'");
        assertFound("the feed of merchant m-1001: its feed head is");
        db.query("UPDATE merchant_feed_heads SET head = head + 1 WHERE merchant_id = 'm-1001'");
        assertEquals(200, verify(app).status());
    }

    /** Gives payment {@code a} sequence {@code fb} and {@code b} {@code fa}, through a free value (the index is unique). */
    private void swap(String a, String b, long fa, long fb) {
        db.query("UPDATE payments SET feed_seq = -1 WHERE id = $1", a);
        db.query("UPDATE payments SET feed_seq = $2 WHERE id = $1", b, fa);
        db.query("UPDATE payments SET feed_seq = $2 WHERE id = $1", a, fb);
    }

    @Test
    void theMigrationNumbersEventRowsAndPaymentRowsEventsTogetherInTimeOrder() {
        try (TestDatabase old = new TestDatabase()) {
            Await.result(Migrations.applyThrough(old.pool(), 17));
            OffsetDateTime at = OffsetDateTime.parse("2026-11-30T10:15:30.123Z");
            // pre-V16 payments (an event row each) and a V16 one (its event generated from its row), interleaved.
            insertPayment(old, "pay_b_row", at, false);
            insertPayment(old, "pay_a_row", at, false);
            insertPayment(old, "pay_c_col", at.plusSeconds(1), true);
            insertPayment(old, "pay_o_row", at, false);
            old.query("UPDATE payments SET merchant_id = 'm-2002' WHERE id = 'pay_o_row'");
            old.query(
                    "INSERT INTO payment_event_rows (payment_id, seq, type, status, amount, created_at) VALUES "
                            + "('pay_a_row', 1, 'AUTHORIZATION', 'APPROVED', 100, $1), "
                            + "('pay_b_row', 1, 'AUTHORIZATION', 'APPROVED', 100, $1), "
                            + "('pay_o_row', 1, 'AUTHORIZATION', 'APPROVED', 100, $1), "
                            + "('pay_a_row', 2, 'VOID', 'VOIDED', 100, $1 + interval '2 seconds')",
                    at);
            Await.result(Migrations.apply(old.pool()));
            List<String> order = new ArrayList<>();
            for (Row r : old.query("SELECT merchant_id || ':' || payment_id || ':' || seq || ':' || feed_seq "
                    + "FROM payment_events ORDER BY merchant_id, feed_seq")) {
                order.add(r.getString(0));
            }
            assertEquals(
                    List.of(
                            "m-1001:pay_a_row:1:1",
                            "m-1001:pay_b_row:1:2",
                            "m-1001:pay_c_col:1:3",
                            "m-1001:pay_a_row:2:4",
                            "m-2002:pay_o_row:1:1"),
                    order);
            assertEquals(4, old.count("SELECT head FROM merchant_feed_heads WHERE merchant_id = 'm-1001'"));
            assertEquals(1, old.count("SELECT head FROM merchant_feed_heads WHERE merchant_id = 'm-2002'"));
        }
    }

    @Test
    void aV17DatabaseIsCarriedForwardVerifiesAndItsFeedGoesOn() {
        try (TestDatabase old = new TestDatabase()) {
            Await.result(Migrations.applyThrough(old.pool(), 17));
            // Within the expiry window, so that the sweeper adds no event to what is checked.
            OffsetDateTime at = OffsetDateTime.now(ZoneOffset.UTC).minusHours(1).truncatedTo(ChronoUnit.MILLIS);
            old.query("INSERT INTO merchants (id, name) VALUES ('m-1001', 'm')");
            // pre-V16 rows (an event row each) and V16 rows (generated from the payment), interleaved in time.
            insertPayment(old, "pay_b_row", at, false);
            insertPayment(old, "pay_a_row", at, false);
            insertPayment(old, "pay_c_row", at.plusSeconds(1), false);
            old.query(
                    "INSERT INTO payment_event_rows (payment_id, seq, type, status, amount, created_at) VALUES "
                            + "('pay_a_row', 1, 'AUTHORIZATION', 'APPROVED', 100, $1), "
                            + "('pay_b_row', 1, 'AUTHORIZATION', 'APPROVED', 100, $1), "
                            + "('pay_c_row', 1, 'AUTHORIZATION', 'APPROVED', 100, $1 + interval '1 second'), "
                            + "('pay_a_row', 2, 'VOID', 'VOIDED', 100, $1 + interval '2 seconds')",
                    at);
            try (TestProcessor p = new TestProcessor(old.settings())) {
                List<String> order = new ArrayList<>();
                for (Row r : old.query(
                        "SELECT payment_id || ':' || seq || ':' || feed_seq FROM payment_events ORDER BY feed_seq")) {
                    order.add(r.getString(0));
                }
                assertEquals(List.of("pay_a_row:1:1", "pay_b_row:1:2", "pay_c_row:1:3", "pay_a_row:2:4"), order);
                assertEquals(4, old.count("SELECT head FROM merchant_feed_heads WHERE merchant_id = 'm-1001'"));
                assertEquals(200, verify(p).status(), verify(p).body());
                H2Client.Response paid = p.authorize(
                        "n-" + UUID.randomUUID(),
                        Bodies.valid(Bodies.freshPan()).encode());
                JsonObject page = p.client()
                        .get("/v1/events?after=3", TestProcessor.headers(TestProcessor.API_KEY, null))
                        .json();
                assertEquals(2, page.getJsonArray("events").size(), page.encode());
                assertEquals(
                        "VOID", page.getJsonArray("events").getJsonObject(0).getString("type"));
                assertEquals(
                        paid.json().getString("id"),
                        page.getJsonArray("events").getJsonObject(1).getString("paymentId"));
                assertEquals(5, page.getLong("head"));
                assertEquals(200, verify(p).status());

                // A migrated sequence edited (two swapped: the set stays whole) is found against the migration's order.
                for (String[] edit : new String[][] {{"pay_a_row", "-1"}, {"pay_b_row", "1"}, {"pay_a_row", "2"}}) {
                    old.query(
                            "UPDATE payment_event_rows SET feed_seq = $2 WHERE payment_id = $1 AND seq = 1",
                            edit[0],
                            Long.parseLong(edit[1]));
                }
                H2Client.Response r = verify(p);
                assertEquals(409, r.status(), r.body());
                assertTrue(r.body().contains("written before V18, is not at the feed sequence"), r.body());
            }
        }
    }

    /** A payment as the V17 writers stored it: with its auth_* columns (V16 on) or without (its event a row). */
    private static void insertPayment(TestDatabase db, String id, OffsetDateTime at, boolean v16) {
        db.query(
                "INSERT INTO payments (id, merchant_id, terminal_id, status, amount, currency, captured_amount, auth_code, "
                        + "risk_score, reasons, rule_set_version, card_token, card_fingerprint, masked_pan, card_bin, "
                        + "card_expiry, entry_mode, mcc, merchant_country, cardholder_verification, capture_mode, "
                        + "created_at, fee_amount, auth_status, auth_captured, auth_fee) VALUES ($1, 'm-1001', 't-1', "
                        + "'APPROVED', 100, 'EUR', 0, 'A1B2C3', 0, '[]', 1, 'tok_' || $1, 'fp_' || $1, "
                        + "'411111******1111', '411111', '12/30', 'CHIP', '5411', 'DE', 'PIN', 'MANUAL', $2, 0, $3, $4, $4)",
                id,
                at,
                v16 ? "APPROVED" : null,
                v16 ? 0L : null);
    }
}
