package dev.payproc.app.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.payproc.testkit.Bodies;
import dev.payproc.testkit.H2Client;
import dev.payproc.testkit.TestDatabase;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Random payments put through random sequences of captures, voids and refunds (legal or not, some retried
 * under the same key) over HTTP/2 against the real ledger. After every step the invariants must hold: the
 * ledger balances, refunds never exceed captures nor captures the amount, states agree with amounts, a
 * refused operation changes nothing, the day's settlement report equals the ledger, and reconciliation
 * finds nothing. The state machine is not used as an oracle: these are properties of the database itself.
 */
class LedgerPropertiesIT {
    private static TestDatabase db;
    private static TestProcessor app;

    record Step(String op, Long amount, boolean retry) {}

    record Scenario(long amount, String currency, String capture, List<Step> steps) {}

    @BeforeContainer
    static void start() {
        db = new TestDatabase();
        app = new TestProcessor(db.settings());
    }

    @AfterContainer
    static void stop() {
        if (app != null) app.close();
        if (db != null) db.close();
    }

    @Provide
    Arbitrary<Scenario> scenarios() {
        Arbitrary<Step> step = Combinators.combine(
                        Arbitraries.of("capture", "void", "refunds"),
                        Arbitraries.longs().between(1, 6000).injectNull(0.3),
                        Arbitraries.of(true, false))
                .as(Step::new);
        return Combinators.combine(
                        Arbitraries.longs().between(1, 5000),
                        Arbitraries.of("EUR", "JPY", "BHD"),
                        Arbitraries.of("AUTO", "MANUAL"),
                        step.list().ofMinSize(1).ofMaxSize(7))
                .as(Scenario::new);
    }

    @Property(tries = 40)
    void theLedgerStaysSoundUnderAnySequenceOfOperations(@ForAll("scenarios") Scenario s) {
        JsonObject body = Bodies.valid(Bodies.freshPan())
                .put("amount", s.amount())
                .put("currency", s.currency())
                .put("capture", s.capture());
        H2Client.Response auth = app.authorize("p-" + UUID.randomUUID(), body.encode());
        assertEquals(201, auth.status(), auth.body());
        String id = auth.json().getString("id");
        String date = auth.json().getString("createdAt").substring(0, 10);
        checkInvariants(id, date);

        String[] last = null; // key, operation, body of the previous step
        for (Step step : s.steps()) {
            String[] req = step.retry() && last != null
                    ? last
                    : new String[] {
                        "op-" + UUID.randomUUID(),
                        step.op(),
                        step.amount() == null || step.op().equals("void") ? null : "{\"amount\":" + step.amount() + "}"
                    };
            Row before = paymentRow(id);
            H2Client.Response r = app.client()
                    .send(
                            HttpMethod.POST,
                            "/v1/payments/" + id + "/" + req[1],
                            TestProcessor.headers(TestProcessor.API_KEY, req[0]),
                            req[2]);
            assertTrue(Set.of(200, 201, 409).contains(r.status()), r.status() + " " + r.body());
            if (r.status() == 409) {
                assertEquals(rowText(before), rowText(paymentRow(id)), "a refused operation changes nothing");
            } else if ("true".equals(r.header("Idempotent-Replayed"))) {
                assertTrue(req == last, "only a retried key is replayed");
            } else {
                JsonObject p = r.json();
                Row after = paymentRow(id);
                assertEquals(after.getString("status"), p.getString("status"));
                assertEquals(after.getLong("captured_amount"), p.getLong("capturedAmount"));
                assertEquals(after.getLong("refunded_amount"), p.getLong("refundedAmount"));
            }
            last = req;
            checkInvariants(id, date);
        }
    }

    private Row paymentRow(String id) {
        return db.query(
                        "SELECT status, amount, captured_amount, refunded_amount, capture_mode FROM payments WHERE id = $1",
                        id)
                .iterator()
                .next();
    }

    private static String rowText(Row r) {
        return r.getString(0) + "/" + r.getLong(1) + "/" + r.getLong(2) + "/" + r.getLong(3);
    }

    private void checkInvariants(String id, String date) {
        Row p = paymentRow(id);
        long amount = p.getLong(1), captured = p.getLong(2), refunded = p.getLong(3);
        String status = p.getString(0);
        assertTrue(0 <= refunded && refunded <= captured && captured <= amount, rowText(p));
        switch (status) {
            case "APPROVED", "REVIEW" -> assertTrue(refunded == 0 && (captured == 0 || captured == amount), rowText(p));
            case "DECLINED", "CHALLENGE", "VOIDED" -> assertTrue(captured == 0 && refunded == 0, rowText(p));
            case "CAPTURED" -> assertTrue(captured > 0 && refunded == 0, rowText(p));
            case "PARTIALLY_REFUNDED" -> assertTrue(refunded > 0 && refunded < captured, rowText(p));
            case "REFUNDED" -> assertTrue(refunded > 0 && refunded == captured, rowText(p));
            default -> throw new AssertionError("illegal state " + status);
        }
        for (Row r : db.query(
                "SELECT currency, sum(CASE direction WHEN 'D' THEN amount ELSE -amount END) FROM postings GROUP BY currency")) {
            assertEquals(0L, r.getLong(1), "ledger unbalanced in " + r.getString(0));
        }
        JsonObject report = app.client()
                .get(
                        "/v1/merchants/" + TestProcessor.MERCHANT + "/settlements?date=" + date,
                        Map.of("Authorization", "Bearer " + TestProcessor.API_KEY))
                .json();
        SettlementNets.assertReportNetsMatchTheLedger(db, report);
        H2Client.Response rec =
                app.client().get("/admin/reconciliation", Map.of("Authorization", "Bearer " + TestProcessor.ADMIN_KEY));
        assertEquals(200, rec.status(), rec.body());
    }
}
