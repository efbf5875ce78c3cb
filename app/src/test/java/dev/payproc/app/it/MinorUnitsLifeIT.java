package dev.payproc.app.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.payproc.testkit.Bodies;
import dev.payproc.testkit.H2Client;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.LocalDate;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A JPY payment (exponent 0) and a KWD payment (exponent 3) through their whole life: authorization, capture, partial
 * refund, dispute, evidence, won or lost, with every amount rendered with its currency's exponent; then the day's
 * settlement report and run, reconciliation and the seals. The class's database holds only these two payments, so
 * the balances are theirs.
 */
class MinorUnitsLifeIT extends ProcessorIT {
    @Override
    protected Map<String, String> env() {
        return Map.of("FEE_SCHEDULE", "{\"disputeFees\": {\"KWD\": 1500, \"JPY\": 300}}");
    }

    private static JsonObject body(String currency, long amount, String capture) {
        return Bodies.valid(Bodies.freshPan())
                .put("currency", currency)
                .put("amount", amount)
                .put("capture", capture);
    }

    @Test
    void jpyAndKwdPaymentsThroughTheirWholeLife() {
        DisputeCalls calls = new DisputeCalls(app);

        // JPY: no decimals. Authorized 12000, captured 10000, refunded 2500, disputed 5000, won.
        String jpy = calls.authorize(body("JPY", 12_000, "MANUAL"));
        assertEquals(200, calls.op(jpy, "capture", "{\"amount\":10000}").status());
        assertEquals(201, calls.op(jpy, "refunds", "{\"amount\":2500}").status());
        H2Client.Response jpyDispute = calls.open(jpy, 5_000L);
        assertEquals(201, jpyDispute.status(), jpyDispute.body());
        assertEquals(0, jpyDispute.json().getInteger("exponent"));
        assertEquals("5000", jpyDispute.json().getString("amountDecimal"));
        String jpyId = jpyDispute.json().getString("id");
        assertEquals(200, calls.evidence(jpyId, "delivered, signed").status());
        assertEquals(200, calls.outcome(jpyId, "won").status());
        JsonObject jpyPayment = calls.payment(jpy);
        assertEquals(0, jpyPayment.getInteger("exponent"));
        assertEquals(
                new JsonObject()
                        .put("amount", "12000")
                        .put("captured", "10000")
                        .put("refunded", "2500")
                        .put("disputed", "0")
                        .put("fee", "0"),
                jpyPayment.getJsonObject("decimal"));
        assertEquals("WON", jpyPayment.getJsonArray("disputes").getJsonObject(0).getString("status"));

        // KWD: three decimals. A sale of 12.345, refunded 0.345, disputed 6.000, lost with a 1.500 fee.
        String kwd = calls.authorize(body("KWD", 12_345, "AUTO"));
        assertEquals(201, calls.op(kwd, "refunds", "{\"amount\":345}").status());
        H2Client.Response kwdDispute = calls.open(kwd, 6_000L);
        assertEquals(201, kwdDispute.status(), kwdDispute.body());
        assertEquals(3, kwdDispute.json().getInteger("exponent"));
        assertEquals("6.000", kwdDispute.json().getString("amountDecimal"));
        String kwdId = kwdDispute.json().getString("id");
        assertEquals(200, calls.evidence(kwdId, "no proof of delivery").status());
        H2Client.Response lost = calls.outcome(kwdId, "lost");
        assertEquals(200, lost.status(), lost.body());
        assertEquals(1_500, lost.json().getLong("fee"));
        JsonObject kwdPayment = calls.payment(kwd);
        assertEquals(
                new JsonObject()
                        .put("amount", "12.345")
                        .put("captured", "12.345")
                        .put("refunded", "0.345")
                        .put("disputed", "6.000")
                        .put("fee", "0.000"),
                kwdPayment.getJsonObject("decimal"));
        calls.assertBooksIntact();

        String today = kwdPayment.getString("createdAt").substring(0, 10);
        JsonArray report = calls.merchantGet("/v1/merchants/" + TestProcessor.MERCHANT + "/settlements?date=" + today)
                .json()
                .getJsonArray("currencies");
        JsonObject jpyDay = report.getJsonObject(0);
        assertEquals("JPY", jpyDay.getString("currency"));
        assertEquals(
                new JsonObject()
                        .put("count", 1)
                        .put("amount", 5_000)
                        .put("wonAmount", 5_000)
                        .put("lostAmount", 0),
                jpyDay.getJsonObject("disputes"));
        assertEquals(new JsonObject().put("count", 1).put("amount", 2_500), jpyDay.getJsonObject("refunds"));
        assertEquals(10_000 - 2_500, jpyDay.getLong("net"));
        assertEquals("7500", jpyDay.getString("netDecimal"));
        JsonObject kwdDay = report.getJsonObject(1);
        assertEquals("KWD", kwdDay.getString("currency"));
        assertEquals(
                new JsonObject()
                        .put("count", 1)
                        .put("amount", 6_000)
                        .put("wonAmount", 0)
                        .put("lostAmount", 6_000),
                kwdDay.getJsonObject("disputes"));
        assertEquals(new JsonObject().put("count", 1).put("amount", 345), kwdDay.getJsonObject("refunds"));
        assertEquals(1_500, kwdDay.getLong("fees"));
        assertEquals(12_345 - 345 - 6_000 - 1_500, kwdDay.getLong("net"));
        assertEquals("4.500", kwdDay.getString("netDecimal"));
        JsonObject kwdDecimal = kwdDay.getJsonObject("decimal");
        assertEquals("12.345", kwdDecimal.getString("captures"));
        assertEquals("0.345", kwdDecimal.getString("refunds"));
        assertEquals("1.500", kwdDecimal.getString("fees"));
        assertEquals("6.000", kwdDecimal.getString("disputesLost"));
        assertEquals("4.500", kwdDecimal.getString("net"));
        assertEquals("5000", jpyDay.getJsonObject("decimal").getString("disputesWon"));
        assertEquals(jpyDay.getLong("net"), calls.payable("JPY"), "the report's net is what the payable holds");
        assertEquals(kwdDay.getLong("net"), calls.payable("KWD"));

        // Settle the day as the day after (the postings moved back a day; this edits sealed rows, so the seals were
        // verified above): the payable moves to settled, exactly the reported net.
        db.query("UPDATE posting_rows SET created_at = created_at - interval '1 day'");
        db.query("UPDATE payments SET created_at = created_at - interval '1 day' WHERE auth_captured > 0");
        String ended = LocalDate.parse(today).minusDays(1).toString();
        H2Client.Response run =
                app.admin(io.vertx.core.http.HttpMethod.POST, "/admin/settlements/run", "{\"date\":\"" + ended + "\"}");
        assertEquals(200, run.status(), run.body());
        assertEquals(2, run.json().getJsonArray("settled").size(), run.body());
        assertEquals(0, calls.payable("JPY"));
        assertEquals(0, calls.payable("KWD"));
        // The balance shows each amount with its currency's exponent too.
        JsonArray balances = calls.merchantGet("/v1/merchants/" + TestProcessor.MERCHANT + "/balance")
                .json()
                .getJsonArray("balances");
        JsonObject jpyBalance = balances.getJsonObject(0), kwdBalance = balances.getJsonObject(1);
        assertEquals("JPY", jpyBalance.getString("currency"), balances.encode());
        assertEquals(0, jpyBalance.getInteger("exponent"));
        assertEquals(new JsonObject().put("payable", "0").put("settled", "7500"), jpyBalance.getJsonObject("decimal"));
        assertEquals(7_500, jpyBalance.getLong("settled"));
        assertEquals("KWD", kwdBalance.getString("currency"));
        assertEquals(3, kwdBalance.getInteger("exponent"));
        assertEquals(
                new JsonObject().put("payable", "0.000").put("settled", "4.500"), kwdBalance.getJsonObject("decimal"));
        assertEquals(4_500, kwdBalance.getLong("settled"));
        assertEquals(
                4_500,
                db.count("SELECT net_amount FROM settlements WHERE currency = 'KWD' AND dispute_lost_amount = 6000"));
        H2Client.Response rec = calls.adminGet("/admin/reconciliation");
        assertEquals(200, rec.status(), rec.body());
        assertTrue(rec.json().getJsonArray("problems").isEmpty(), rec.body());
    }
}
