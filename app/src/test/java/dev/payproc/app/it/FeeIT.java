package dev.payproc.app.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.payproc.testkit.Bodies;
import dev.payproc.testkit.H2Client;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.time.LocalDate;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** With a fee schedule: the fee is shown on the payment, posted to fee income, and in the settlement report. */
class FeeIT extends ProcessorIT {
    @Override
    protected Map<String, String> env() {
        return Map.of("FEE_SCHEDULE", "{\"bps\":150,\"fixed\":{\"EUR\":25}}");
    }

    private long account(String paymentId, String account) {
        return db.count(
                "SELECT coalesce(sum(CASE direction WHEN 'C' THEN amount ELSE -amount END), 0) FROM postings "
                        + "WHERE payment_id = $1 AND account = $2",
                paymentId,
                account);
    }

    @Test
    void feesAreChargedPostedReportedAndReconciled() {
        JsonObject sale = app.authorize(
                        "f1",
                        Bodies.valid(Bodies.freshPan()).put("amount", 10_000).encode())
                .json();
        assertEquals(175, sale.getLong("fee"), "1.5% of 100.00 plus 0.25");
        assertEquals(9_825, account(sale.getString("id"), "merchant_payable"));
        assertEquals(175, account(sale.getString("id"), "fee_income"));

        JsonObject manual = app.authorize(
                        "f2",
                        Bodies.valid(Bodies.freshPan())
                                .put("amount", 8_000)
                                .put("capture", "MANUAL")
                                .encode())
                .json();
        assertEquals(0, manual.getLong("fee"), "nothing captured, nothing charged");
        JsonObject captured = app.client()
                .send(
                        HttpMethod.POST,
                        "/v1/payments/" + manual.getString("id") + "/capture",
                        TestProcessor.headers(TestProcessor.API_KEY, "f3"),
                        "{\"amount\":4000}")
                .json();
        assertEquals(85, captured.getLong("fee"));
        JsonObject refunded = app.client()
                .send(
                        HttpMethod.POST,
                        "/v1/payments/" + sale.getString("id") + "/refunds",
                        TestProcessor.headers(TestProcessor.API_KEY, "f4"),
                        null)
                .json();
        assertEquals("REFUNDED", refunded.getString("status"));
        assertEquals(175, refunded.getLong("fee"), "refunds do not return fees");
        assertEquals(
                -175,
                account(sale.getString("id"), "merchant_payable"),
                "the merchant bears the fee of a refunded sale");

        String date = sale.getString("createdAt").substring(0, 10);
        JsonObject eur = app.client()
                .get(
                        "/v1/merchants/" + TestProcessor.MERCHANT + "/settlements?date=" + date,
                        Map.of("Authorization", "Bearer " + TestProcessor.API_KEY))
                .json()
                .getJsonArray("currencies")
                .getJsonObject(0);
        assertEquals(new JsonObject().put("count", 2).put("amount", 14_000), eur.getJsonObject("captures"));
        assertEquals(260, eur.getLong("fees"));
        assertEquals(new JsonObject().put("count", 1).put("amount", 10_000), eur.getJsonObject("refunds"));
        assertEquals(14_000 - 260 - 10_000, eur.getLong("net"));
        assertEquals(
                db.count("SELECT sum(CASE direction WHEN 'C' THEN amount ELSE -amount END) FROM postings "
                        + "WHERE account = 'merchant_payable'"),
                eur.getLong("net"),
                "the report's net is the ledger's");

        Map<String, String> admin =
                Map.of("Authorization", "Bearer " + TestProcessor.ADMIN_KEY, "Content-Type", "application/json");
        // A day settles once it has ended: move its postings back a day, as if this were the day after.
        // Both stored forms of a posting: the written rows, and the payments whose authorization legs the postings
        // view generates from the payment row (they take its created_at; V16).
        db.query("UPDATE posting_rows SET created_at = created_at - interval '1 day'");
        db.query("UPDATE payments SET created_at = created_at - interval '1 day' WHERE auth_captured > 0");
        String ended = LocalDate.parse(date).minusDays(1).toString();
        assertEquals(
                200,
                app.client()
                        .send(HttpMethod.POST, "/admin/settlements/run", admin, "{\"date\":\"" + ended + "\"}")
                        .status());
        H2Client.Response rec = app.client().get("/admin/reconciliation", admin);
        assertEquals(200, rec.status(), rec.body());
        assertTrue(rec.json().getBoolean("ok"));
        for (io.vertx.sqlclient.Row r : db.query(
                "SELECT currency, sum(CASE direction WHEN 'D' THEN amount ELSE -amount END) FROM postings GROUP BY currency")) {
            assertEquals(0L, r.getLong(1), "balanced in " + r.getString(0));
        }
    }
}
