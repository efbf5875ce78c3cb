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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * V16: payment_events and postings are views over the rows written (lifecycle events and their postings, and
 * everything committed before V16) and the rows generated from each payment's auth_* columns. An authorization
 * writes no event or posting row, yet the views show its event and balanced legs (fee included); a capture's event
 * and postings are written; and a database migrated from V15 shows the events and postings it held, once each.
 */
class LedgerViewsIT extends ProcessorIT {
    @Override
    protected Map<String, String> env() {
        return Map.of("FEE_SCHEDULE", "{\"bps\":150,\"fixed\":{\"EUR\":25}}");
    }

    private String pay(long amount, String capture) {
        H2Client.Response r = app.authorize(
                "k-" + UUID.randomUUID(),
                Bodies.valid(Bodies.freshPan())
                        .put("amount", amount)
                        .put("capture", capture)
                        .encode());
        assertEquals(201, r.status(), r.body());
        return r.json().getString("id");
    }

    /** A payment's postings through the view: "event_seq leg account direction amount", in order. */
    private static List<String> postings(TestDatabase db, String table, String id) {
        List<String> out = new ArrayList<>();
        for (Row r : db.query(
                "SELECT event_seq, leg, account, direction, amount FROM " + table
                        + " WHERE payment_id = $1 ORDER BY event_seq, leg",
                id))
            out.add(r.getInteger(0) + " " + r.getInteger(1) + " " + r.getString(2) + " " + r.getString(3) + " "
                    + r.getLong(4));
        return out;
    }

    private void assertBalanced(String id) {
        assertEquals(
                0,
                db.count(
                        "SELECT coalesce(sum(CASE direction WHEN 'D' THEN amount ELSE -amount END), 0) FROM postings "
                                + "WHERE payment_id = $1",
                        id),
                "sum D = sum C for " + id);
    }

    @Test
    void anAutoCaptureWritesNoEventOrPostingRowAndTheViewsShowThemBalancedWithTheFee() {
        String sale = pay(10_000, "AUTO");
        assertEquals(0, db.count("SELECT count(*) FROM payment_event_rows WHERE payment_id = $1", sale));
        assertEquals(0, db.count("SELECT count(*) FROM posting_rows WHERE payment_id = $1", sale));
        Row p = db.query("SELECT auth_status, auth_captured, auth_fee FROM payments WHERE id = $1", sale)
                .iterator()
                .next();
        assertEquals("APPROVED", p.getString(0), "the authorization's decision");
        assertEquals(10_000L, p.getLong(1));
        assertEquals(175L, p.getLong(2), "1.5% of 100.00 plus 0.25");

        Row ev = db.query("SELECT seq, type, status, amount FROM payment_events WHERE payment_id = $1", sale)
                .iterator()
                .next();
        assertEquals(1, db.count("SELECT count(*) FROM payment_events WHERE payment_id = $1", sale));
        assertEquals(1, ev.getInteger(0));
        assertEquals("AUTHORIZATION", ev.getString(1));
        assertEquals("APPROVED", ev.getString(2));
        assertEquals(10_000L, ev.getLong(3));
        assertEquals(
                List.of("1 1 cardholder_funding D 10000", "1 2 merchant_payable C 9825", "1 3 fee_income C 175"),
                postings(db, "postings", sale));
        assertEquals(
                0,
                db.count(
                        "SELECT count(*) FROM postings o JOIN payments p ON p.id = o.payment_id WHERE o.payment_id = $1 "
                                + "AND (o.created_at <> p.created_at OR o.currency <> p.currency "
                                + "OR o.merchant_id <> p.merchant_id OR o.seal_chain <> p.seal_chain "
                                + "OR o.seal_seq <> p.seal_seq)",
                        sale),
                "the generated legs take the payment's time, currency, merchant and seal");
        assertBalanced(sale);
    }

    @Test
    void aManualAuthorizationsEventIsGeneratedAndItsCaptureIsWritten() {
        String manual = pay(9_000, "MANUAL");
        assertEquals(0, db.count("SELECT count(*) FROM payment_event_rows WHERE payment_id = $1", manual));
        assertEquals(0, db.count("SELECT count(*) FROM postings WHERE payment_id = $1", manual), "nothing captured");
        H2Client.Response c = app.client()
                .send(
                        HttpMethod.POST,
                        "/v1/payments/" + manual + "/capture",
                        TestProcessor.headers(TestProcessor.API_KEY, "k-" + UUID.randomUUID()),
                        "{\"amount\":6000}");
        assertEquals(200, c.status(), c.body());

        List<String> events = new ArrayList<>();
        for (Row r :
                db.query("SELECT seq, type, amount FROM payment_events WHERE payment_id = $1 ORDER BY seq", manual))
            events.add(r.getInteger(0) + " " + r.getString(1) + " " + r.getLong(2));
        assertEquals(List.of("1 AUTHORIZATION 9000", "2 CAPTURE 6000"), events);
        // Event 1 generated from the payment row, event 2 and its postings written.
        assertEquals(
                List.of(2),
                db.query("SELECT seq FROM payment_event_rows WHERE payment_id = $1", manual).stream()
                        .map(r -> r.getInteger(0))
                        .toList());
        assertEquals(
                "APPROVED",
                db.query("SELECT auth_status FROM payments WHERE id = $1", manual)
                        .iterator()
                        .next()
                        .getString(0));
        List<String> written = postings(db, "posting_rows", manual);
        assertTrue(written.size() >= 2, written.toString());
        assertTrue(written.stream().allMatch(s -> s.startsWith("2 ")), written.toString());
        assertEquals(written, postings(db, "postings", manual), "the view shows the written postings, nothing else");
        assertTrue(written.contains("2 1 cardholder_funding D 6000"), written.toString());
        assertBalanced(manual);
    }

    @Test
    void everyPaymentsPostingsBalanceThroughTheView() {
        pay(10_000, "AUTO");
        pay(20, "AUTO"); // the fixed fee is the whole amount: no merchant_payable leg
        pay(5_000_000, "AUTO"); // declined
        assertEquals(
                0,
                db.count("SELECT count(*) FROM (SELECT payment_id FROM postings GROUP BY payment_id, currency "
                        + "HAVING sum(CASE direction WHEN 'D' THEN amount ELSE -amount END) <> 0) u"),
                "every payment balanced");
        assertEquals(0, db.count("SELECT count(*) FROM postings WHERE amount <= 0"), "a leg of 0 is not a posting");
        assertEquals(
                0,
                db.count("SELECT count(*) FROM (SELECT payment_id, event_seq, leg FROM postings "
                        + "GROUP BY 1, 2, 3 HAVING count(*) > 1) d"),
                "no posting twice");
    }

    @Test
    void aV15DatabaseShowsTheSameEventsAndPostingsAfterMigratingOnceEach() {
        try (TestDatabase old = new TestDatabase()) {
            Await.result(Migrations.applyThrough(old.pool(), 15));
            OffsetDateTime at = OffsetDateTime.parse("2026-11-30T10:15:30.123Z");
            // A sale with a fee and a manual payment captured in part, as the V15 writers stored them.
            for (String[] p : new String[][] {
                {"pay_v15_sale", "CAPTURED", "10000", "AUTO"}, {"pay_v15_manual", "CAPTURED", "9000", "MANUAL"}
            }) {
                old.query(
                        "INSERT INTO payments (id, merchant_id, terminal_id, status, amount, currency, captured_amount, "
                                + "auth_code, risk_score, reasons, rule_set_version, card_token, card_fingerprint, "
                                + "masked_pan, card_bin, card_expiry, entry_mode, mcc, merchant_country, "
                                + "cardholder_verification, capture_mode, created_at, fee_amount) VALUES ($1, 'm-1001', "
                                + "'t-1', $2, $3, 'EUR', $4, 'A1B2C3', 0, '[]', 1, 'tok_' || $1, 'fp_' || $1, "
                                + "'411111******1111', '411111', '12/30', 'CHIP', '5411', 'DE', 'PIN', $5, $6, $7)",
                        p[0],
                        p[1],
                        Long.parseLong(p[2]),
                        p[3].equals("AUTO") ? 10_000L : 6_000L,
                        p[3],
                        at,
                        p[3].equals("AUTO") ? 175L : 115L);
            }
            old.query(
                    "INSERT INTO payment_events (payment_id, seq, type, status, amount, created_at) VALUES "
                            + "('pay_v15_sale', 1, 'AUTHORIZATION', 'CAPTURED', 10000, $1), "
                            + "('pay_v15_manual', 1, 'AUTHORIZATION', 'AUTHORIZED', 9000, $1), "
                            + "('pay_v15_manual', 2, 'CAPTURE', 'CAPTURED', 6000, $1 + interval '1 minute')",
                    at);
            old.query(
                    "INSERT INTO postings (payment_id, event_seq, leg, account, merchant_id, direction, amount, currency, "
                            + "created_at) VALUES "
                            + "('pay_v15_sale', 1, 1, 'cardholder_funding', 'm-1001', 'D', 10000, 'EUR', $1), "
                            + "('pay_v15_sale', 1, 2, 'merchant_payable', 'm-1001', 'C', 9825, 'EUR', $1), "
                            + "('pay_v15_sale', 1, 3, 'fee_income', 'm-1001', 'C', 175, 'EUR', $1), "
                            + "('pay_v15_manual', 2, 1, 'cardholder_funding', 'm-1001', 'D', 6000, 'EUR', $1), "
                            + "('pay_v15_manual', 2, 2, 'merchant_payable', 'm-1001', 'C', 5885, 'EUR', $1), "
                            + "('pay_v15_manual', 2, 3, 'fee_income', 'm-1001', 'C', 115, 'EUR', $1)",
                    at);
            List<String> eventsBefore = rows(old, "payment_events");
            List<String> postingsBefore = rows(old, "postings");
            assertEquals(3, eventsBefore.size());
            assertEquals(6, postingsBefore.size());

            Await.result(Migrations.apply(old.pool()));
            assertEquals(
                    1,
                    old.count("SELECT count(*) FROM information_schema.views WHERE table_name = 'payment_events'"),
                    "migrated to V16");
            assertEquals(eventsBefore, rows(old, "payment_events"), "the same events, once each");
            assertEquals(postingsBefore, rows(old, "postings"), "the same postings, once each");
            assertEquals(3, old.count("SELECT count(*) FROM payment_event_rows"), "carried forward as rows");
            assertEquals(6, old.count("SELECT count(*) FROM posting_rows"));
            assertEquals(0, old.count("SELECT count(*) FROM payments WHERE auth_status IS NOT NULL"));
        }
    }

    /** Every row of the view or table, as text, in key order. */
    private static List<String> rows(TestDatabase db, String table) {
        String key = table.startsWith("payment_events") ? "payment_id, seq" : "payment_id, event_seq, leg";
        List<String> out = new ArrayList<>();
        // The columns of V16's views: V18 appends the feed's, which FeedMigrationIT checks.
        String columns = table.startsWith("payment_events")
                ? "payment_id, seq, type, status, amount, created_at, seal_chain, seal_seq"
                : "t.*";
        for (Row r : db.query("SELECT (" + columns + ")::text FROM " + table + " t ORDER BY " + key))
            out.add(r.getString(0));
        return out;
    }
}
