package dev.payproc.app.it;

import static dev.payproc.testkit.Asserts.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.payproc.testkit.Bodies;
import dev.payproc.testkit.H2Client;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** Daily settlement reports and runs reconcile with the ledger; reconciliation names what disagrees. */
class SettlementIT extends ProcessorIT {

    private JsonObject pay(String key, JsonObject body) {
        H2Client.Response r = app.authorize(key, body.encode());
        assertEquals(201, r.status(), r.body());
        return r.json();
    }

    private H2Client.Response op(String id, String op, String body, String key) {
        return app.client()
                .send(
                        HttpMethod.POST,
                        "/v1/payments/" + id + "/" + op,
                        TestProcessor.headers(TestProcessor.API_KEY, key),
                        body);
    }

    private H2Client.Response admin(HttpMethod method, String path, String body) {
        return app.admin(method, path, body);
    }

    private H2Client.Response report(String merchant, String date) {
        return app.client()
                .get(
                        "/v1/merchants/" + merchant + "/settlements" + (date == null ? "" : "?date=" + date),
                        Map.of("Authorization", "Bearer " + TestProcessor.API_KEY));
    }

    @Test
    void aDayIsReportedSettledAndReconciled() {
        JsonObject sale1 = pay("s1", Bodies.valid(Bodies.freshPan()).put("amount", 1000));
        String date = sale1.getString("createdAt").substring(0, 10);
        JsonObject sale2 = pay("s2", Bodies.valid(Bodies.freshPan()).put("amount", 2500));
        JsonObject yen =
                pay("s3", Bodies.valid(Bodies.freshPan()).put("amount", 700).put("currency", "JPY"));
        JsonObject manual =
                pay("s4", Bodies.valid(Bodies.freshPan()).put("amount", 900).put("capture", "MANUAL"));
        JsonObject declined = pay(
                "s5",
                Bodies.valid(Bodies.freshPan()).put("amount", 5_000_000)); // declined: no money, not in the report
        assertEquals(
                200,
                op(manual.getString("id"), "capture", "{\"amount\":600}", "c4").status());
        assertEquals(
                201,
                op(sale2.getString("id"), "refunds", "{\"amount\":400}", "r2").status());

        H2Client.Response r = report(TestProcessor.MERCHANT, date);
        assertEquals(200, r.status(), r.body());
        JsonObject rep = r.json();
        assertEquals(date, rep.getString("date"));
        JsonArray currencies = rep.getJsonArray("currencies");
        JsonObject eur = currencies.getJsonObject(0);
        assertEquals("EUR", eur.getString("currency"));
        assertEquals(new JsonObject().put("count", 3).put("amount", 1000 + 2500 + 600), eur.getJsonObject("captures"));
        assertEquals(new JsonObject().put("count", 1).put("amount", 400), eur.getJsonObject("refunds"));
        assertEquals(3700, eur.getLong("net"));
        assertFalse(eur.getBoolean("settled"));
        assertEquals("JPY", currencies.getJsonObject(1).getString("currency"));
        assertEquals(700, currencies.getJsonObject(1).getLong("net"));
        assertEquals(4, rep.getJsonArray("paymentIds").size(), "the four payments that moved money");
        // The report's totals are the ledger's.
        assertEquals(
                db.count("SELECT sum(CASE direction WHEN 'C' THEN amount ELSE -amount END) FROM postings "
                        + "WHERE account = 'merchant_payable' AND currency = 'EUR'"),
                eur.getLong("net"));
        List<String> ids = new ArrayList<>();
        db.query("SELECT DISTINCT payment_id FROM postings ORDER BY payment_id")
                .forEach(row -> ids.add(row.getString(0)));
        assertEquals(ids, rep.getJsonArray("paymentIds").getList());

        // A day settles once it has ended: move its postings back a day, as if this were the day after.
        // Both stored forms of a posting: the written rows, and the payments whose authorization legs the postings
        // view generates from the payment row (they take its created_at; V16).
        db.query("UPDATE posting_rows SET created_at = created_at - interval '1 day'");
        db.query("UPDATE payments SET created_at = created_at - interval '1 day' WHERE auth_captured > 0");
        String ended = LocalDate.parse(date).minusDays(1).toString();
        H2Client.Response run = admin(HttpMethod.POST, "/admin/settlements/run", "{\"date\":\"" + ended + "\"}");
        assertEquals(200, run.status(), run.body());
        assertEquals(2, run.json().getJsonArray("settled").size());
        assertEquals(
                0,
                admin(HttpMethod.POST, "/admin/settlements/run", "{\"date\":\"" + ended + "\"}")
                        .json()
                        .getJsonArray("settled")
                        .size(),
                "a day settles once");

        JsonObject settledEur = report(TestProcessor.MERCHANT, ended)
                .json()
                .getJsonArray("currencies")
                .getJsonObject(0);
        assertTrue(settledEur.getBoolean("settled"));
        assertEquals(3700, settledEur.getLong("settledNet"));
        JsonObject balance = app.client()
                .get(
                        "/v1/merchants/" + TestProcessor.MERCHANT + "/balance",
                        Map.of("Authorization", "Bearer " + TestProcessor.API_KEY))
                .json();
        assertEquals(
                new JsonObject()
                        .put("currency", "EUR")
                        .put("payable", 0)
                        .put("settled", 3700)
                        .put("exponent", 2)
                        .put("decimal", new JsonObject().put("payable", "0.00").put("settled", "37.00")),
                balance.getJsonArray("balances").getJsonObject(0));

        H2Client.Response ok = admin(HttpMethod.GET, "/admin/reconciliation", null);
        assertEquals(200, ok.status(), ok.body());
        assertTrue(ok.json().getBoolean("ok"));
        assertEquals(5, ok.json().getJsonObject("checked").getLong("payments"));

        // Someone edits the ledger behind our back: reconciliation names exactly what disagrees.
        db.query("UPDATE payments SET refunded_amount = 100 WHERE id = $1", sale1.getString("id"));
        db.query(
                "UPDATE settlements SET capture_count = 4, capture_amount = 5000, net_amount = 5000 - refund_amount WHERE currency = 'JPY'");
        db.query("UPDATE settlement_postings SET amount = amount + 1 WHERE leg = 1 AND currency = 'EUR'");
        // ... deletes a payment, leaving its event and postings without it, and moves another to no merchant.
        // Since V16 the yen sale's authorization event and postings are generated from its payment row and would go
        // with it: they are first stored as rows, as a payment committed before V16 keeps them (auth_* NULL; since V18
        // with
        // their merchant and feed sequence).
        db.query(
                "INSERT INTO payment_event_rows (payment_id, seq, type, status, amount, created_at, seal_chain, seal_seq, "
                        + "merchant_id, feed_seq) SELECT payment_id, seq, type, status, amount, created_at, seal_chain, "
                        + "seal_seq, merchant_id, feed_seq FROM payment_events "
                        + "WHERE payment_id = $1 AND seq = 1",
                yen.getString("id"));
        db.query(
                "INSERT INTO posting_rows (payment_id, event_seq, leg, account, merchant_id, direction, amount, currency, "
                        + "created_at, seal_chain, seal_seq) SELECT payment_id, event_seq, leg, account, merchant_id, "
                        + "direction, amount, currency, created_at, seal_chain, seal_seq FROM postings "
                        + "WHERE payment_id = $1 AND event_seq = 1",
                yen.getString("id"));
        db.query(
                "UPDATE payments SET auth_status = NULL, auth_captured = NULL, auth_fee = NULL WHERE id = $1",
                yen.getString("id"));
        db.query("DELETE FROM payments WHERE id = $1", yen.getString("id"));
        db.query("UPDATE payments SET merchant_id = 'm-nobody' WHERE id = $1", declined.getString("id"));
        List<String> orphans = new ArrayList<>(
                List.of("orphan_event " + yen.getString("id") + "#1", "orphan_payment " + declined.getString("id")));
        db.query("SELECT leg FROM postings WHERE payment_id = $1", yen.getString("id"))
                .forEach(row -> orphans.add("orphan_posting " + yen.getString("id") + "#1#" + row.getInteger(0)));
        assertTrue(orphans.size() > 2, "the yen sale has postings");
        H2Client.Response bad = admin(HttpMethod.GET, "/admin/reconciliation", null);
        assertEquals(409, bad.status(), bad.body());
        TreeSet<String> found = new TreeSet<>();
        for (Object o : bad.json().getJsonArray("problems")) {
            JsonObject p = (JsonObject) o;
            found.add(p.getString("check") + " " + p.getString("id"));
        }
        String jpySettlement = db.query("SELECT id FROM settlements WHERE currency = 'JPY'")
                .iterator()
                .next()
                .getString(0);
        String eurSettlement = db.query("SELECT id FROM settlements WHERE currency = 'EUR'")
                .iterator()
                .next()
                .getString(0);
        TreeSet<String> expected = new TreeSet<>(orphans);
        expected.addAll(List.of(
                "amounts_vs_postings " + sale1.getString("id"),
                "amounts_vs_events " + sale1.getString("id"), // refunded 100 without a REFUND event
                "settlement_vs_postings " + jpySettlement,
                "settlement_net_vs_postings " + jpySettlement,
                "unbalanced_settlement " + eurSettlement));
        assertEquals(expected, found);
    }

    @Test
    void reportsAreTheMerchantsOwnAndNeedADate() {
        assertError(report(TestProcessor.MERCHANT, null), 400, "invalid_request", "date");
        assertError(report(TestProcessor.MERCHANT, "23.11.2026"), 400, "invalid_request", "date");
        assertError(report(TestProcessor.OTHER_MERCHANT, "2026-11-23"), 403, "forbidden", "merchantId");
        H2Client.Response empty = report(TestProcessor.MERCHANT, "2001-01-01");
        assertEquals(200, empty.status());
        assertEquals(new JsonArray(), empty.json().getJsonArray("currencies"));
        assertError(
                app.client()
                        .send(
                                HttpMethod.POST,
                                "/admin/settlements/run",
                                TestProcessor.headers(TestProcessor.API_KEY, null),
                                "{\"date\":\"2026-11-23\"}"),
                401,
                "unauthenticated",
                null);
        assertError(
                admin(HttpMethod.POST, "/admin/settlements/run", "{\"date\":\"tomorrow\"}"),
                400,
                "invalid_request",
                "date");
    }
}
