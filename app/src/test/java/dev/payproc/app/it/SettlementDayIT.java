package dev.payproc.app.it;

import static dev.payproc.testkit.Asserts.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.payproc.testkit.Await;
import dev.payproc.testkit.Bodies;
import dev.payproc.testkit.H2Client;
import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** A day settles once it has ended, exactly once, with every commit of the day in it. */
class SettlementDayIT extends ProcessorIT {
    private static final Map<String, String> ADMIN =
            Map.of("Authorization", "Bearer " + TestProcessor.ADMIN_KEY, "Content-Type", "application/json");

    private String pay(long amount) {
        H2Client.Response r = app.authorize(
                "d-" + amount,
                Bodies.valid(Bodies.freshPan()).put("amount", amount).encode());
        assertEquals(201, r.status(), r.body());
        return r.json().getString("id");
    }

    private Future<H2Client.Response> run(String body) {
        return app.client().sendAsync(HttpMethod.POST, "/admin/settlements/run", ADMIN, body);
    }

    private JsonObject eur(LocalDate day) {
        H2Client.Response r = app.client()
                .get(
                        "/v1/merchants/" + TestProcessor.MERCHANT + "/settlements?date=" + day,
                        Map.of("Authorization", "Bearer " + TestProcessor.API_KEY));
        assertEquals(200, r.status(), r.body());
        return r.json();
    }

    @Test
    void todayIsRefusedAndSettlesLaterWithWhatCameAfter() {
        String early = pay(1000);
        LocalDate today = LocalDate.parse(
                db.query("SELECT (created_at AT TIME ZONE 'UTC')::date::text FROM payments WHERE id = $1", early)
                        .iterator()
                        .next()
                        .getString(0));
        for (String body : List.of(
                "{\"date\":\"" + today + "\"}",
                "{\"date\":\"" + today.plusDays(1) + "\"}",
                "{\"date\":\"" + today + "\",\"merchantId\":\"" + TestProcessor.MERCHANT + "\"}")) {
            H2Client.Response refused = Await.result(run(body));
            assertError(refused, 400, "invalid_request", "date");
            assertTrue(refused.json().getString("message").contains("ended"), refused.body());
        }
        assertEquals(0, db.count("SELECT count(*) FROM settlements"));
        assertEquals(0, db.count("SELECT count(*) FROM settlement_postings"));
        assertFalse(eur(today).getJsonArray("currencies").getJsonObject(0).getBoolean("settled"));

        String late = pay(2500); // lands after the refused run, still on the same day
        // The day ends: its postings are moved back a day, as if this were the day after.
        // Both stored forms of a posting: the written rows, and the payments whose authorization legs the postings
        // view generates from the payment row (they take its created_at; V16).
        db.query("UPDATE posting_rows SET created_at = created_at - interval '1 day'");
        db.query("UPDATE payments SET created_at = created_at - interval '1 day' WHERE auth_captured > 0");
        LocalDate day = today.minusDays(1);

        // Runs at once settle the day once (eight, so that two of them race on the same row every time).
        List<H2Client.Response> runs =
                IntStream.range(0, 8).mapToObj(i -> run("{\"date\":\"" + day + "\"}")).toList().stream()
                        .map(Await::result)
                        .toList();
        int settled = 0;
        for (H2Client.Response r : runs) {
            assertEquals(200, r.status(), r.body());
            settled += r.json().getJsonArray("settled").size();
        }
        assertEquals(1, settled);
        assertEquals(
                0,
                Await.result(run("{\"date\":\"" + day + "\"}"))
                        .json()
                        .getJsonArray("settled")
                        .size(),
                "a day settles once");

        JsonObject report = eur(day);
        assertEquals(
                List.of(early, late).stream().sorted().toList(),
                report.getJsonArray("paymentIds").getList());
        JsonObject eur = report.getJsonArray("currencies").getJsonObject(0);
        assertTrue(eur.getBoolean("settled"));
        assertEquals(3500, eur.getLong("settledNet"));
        assertEquals(
                new JsonObject()
                        .put("currency", "EUR")
                        .put("payable", 0)
                        .put("settled", 3500)
                        .put("exponent", 2)
                        .put("decimal", new JsonObject().put("payable", "0.00").put("settled", "35.00")),
                app.client()
                        .get(
                                "/v1/merchants/" + TestProcessor.MERCHANT + "/balance",
                                Map.of("Authorization", "Bearer " + TestProcessor.API_KEY))
                        .json()
                        .getJsonArray("balances")
                        .getJsonObject(0));
        H2Client.Response reconciled = app.client().get("/admin/reconciliation", ADMIN);
        assertEquals(200, reconciled.status(), reconciled.body());
        assertTrue(reconciled.json().getBoolean("ok"));
    }
}
