package dev.payproc.app.it;

import static dev.payproc.testkit.Asserts.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.payproc.testkit.Await;
import dev.payproc.testkit.Bodies;
import dev.payproc.testkit.H2Client;
import dev.payproc.testkit.TestDatabase;
import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Capture, void and refunds over HTTP/2: legal and illegal transitions, races, postings and balances. */
class LifecycleIT extends ProcessorIT {

    private String authorize(JsonObject body) {
        H2Client.Response r = app.authorize("a-" + UUID.randomUUID(), body.encode());
        assertEquals(201, r.status(), r.body());
        return r.json().getString("id");
    }

    private String manual(long amount) {
        return authorize(Bodies.valid(Bodies.freshPan()).put("amount", amount).put("capture", "MANUAL"));
    }

    private H2Client.Response op(String paymentId, String op, String body) {
        return op(paymentId, op, body, "op-" + UUID.randomUUID());
    }

    private H2Client.Response op(String paymentId, String op, String body, String key) {
        return app.client()
                .send(
                        HttpMethod.POST,
                        "/v1/payments/" + paymentId + "/" + op,
                        TestProcessor.headers(TestProcessor.API_KEY, key),
                        body);
    }

    @Test
    void capturesPartiallyThenRefundsInSteps() {
        String id = manual(1000);
        H2Client.Response captured = op(id, "capture", "{\"amount\":800}");
        assertEquals(200, captured.status(), captured.body());
        assertEquals("CAPTURED", captured.json().getString("status"));
        assertEquals(800, captured.json().getLong("capturedAmount"));
        assertEquals(1000, captured.json().getLong("amount"));

        H2Client.Response r1 = op(id, "refunds", "{\"amount\":300}");
        assertEquals(201, r1.status(), r1.body());
        assertEquals("PARTIALLY_REFUNDED", r1.json().getString("status"));
        assertEquals(300, r1.json().getLong("refundedAmount"));
        H2Client.Response rest = op(id, "refunds", "");
        assertEquals(201, rest.status(), rest.body());
        assertEquals("REFUNDED", rest.json().getString("status"));
        assertEquals(800, rest.json().getLong("refundedAmount"));

        JsonArray events = app.client()
                .get("/v1/payments/" + id, Map.of("Authorization", "Bearer " + TestProcessor.API_KEY))
                .json()
                .getJsonArray("events");
        List<String> types = new ArrayList<>();
        for (int i = 0; i < events.size(); i++) {
            JsonObject e = events.getJsonObject(i);
            assertEquals(i + 1, e.getInteger("seq"));
            types.add(e.getString("type") + " " + e.getString("status") + " " + e.getLong("amount"));
        }
        assertEquals(
                List.of(
                        "AUTHORIZATION APPROVED 1000",
                        "CAPTURE CAPTURED 800",
                        "REFUND PARTIALLY_REFUNDED 300",
                        "REFUND REFUNDED 500"),
                types);
        assertLedgerBalanced();
        // Capture: payable +800; refunds: payable -800.
        assertEquals(
                0,
                db.count(
                        "SELECT coalesce(sum(CASE direction WHEN 'C' THEN amount ELSE -amount END), 0) FROM postings "
                                + "WHERE payment_id = $1 AND account = 'merchant_payable'",
                        id));
    }

    @Test
    void voidReleasesAnUncapturedAuthorizationWithoutPostings() {
        String id = manual(500);
        H2Client.Response voided = op(id, "void", null);
        assertEquals(200, voided.status(), voided.body());
        assertEquals("VOIDED", voided.json().getString("status"));
        assertEquals(0, db.count("SELECT count(*) FROM postings WHERE payment_id = $1", id));
        assertError(op(id, "capture", "{}"), 409, "invalid_state", null);
        assertError(op(id, "void", null), 409, "invalid_state", null);
        assertError(op(id, "refunds", "{\"amount\":1}"), 409, "invalid_state", null);
    }

    @Test
    void illegalTransitionsAreInvalidState() {
        String sale = authorize(Bodies.valid(Bodies.freshPan()).put("amount", 700));
        assertError(op(sale, "capture", null), 409, "invalid_state", null); // a sale is captured already
        assertError(op(sale, "void", null), 409, "invalid_state", null); // void after capture
        assertError(op(sale, "refunds", "{\"amount\":701}"), 409, "invalid_state", null); // above the captured amount
        String declined = authorize(Bodies.valid(Bodies.freshPan()).put("amount", 2_000_000));
        assertError(op(declined, "capture", null), 409, "invalid_state", null);
        assertError(op(declined, "refunds", null), 409, "invalid_state", null);
        String manual = manual(400);
        assertError(op(manual, "capture", "{\"amount\":401}"), 409, "invalid_state", null);
        assertError(op(manual, "refunds", "{\"amount\":1}"), 409, "invalid_state", null); // nothing captured yet
        assertEquals(200, op(manual, "capture", null).status());
        assertError(op(manual, "capture", null), 409, "invalid_state", null); // once
        assertError(op("pay_00000000000000000000000000", "capture", null), 404, "not_found", null);
    }

    @Test
    void validatesOperationBodies() {
        String id = manual(300);
        assertError(op(id, "capture", "{\"amount\":0}"), 400, "invalid_request", "amount");
        assertError(op(id, "capture", "{\"amount\":\"10\"}"), 400, "invalid_request", "amount");
        assertError(op(id, "refunds", "{\"amount\":-5}"), 400, "invalid_request", "amount");
        assertError(op(id, "void", "{\"amount\":5}"), 400, "invalid_request", "amount");
        assertError(op(id, "capture", "{\"amont\":5}"), 400, "invalid_request", "amont");
        assertError(op(id, "capture", "[1]"), 400, "invalid_request", null);
        assertError(op(id, "capture", null, null), 400, "invalid_request", "Idempotency-Key");
    }

    @Test
    void operationsAreIdempotentPerKey() {
        String id = manual(900);
        String key = "cap-" + UUID.randomUUID();
        H2Client.Response first = op(id, "capture", "{\"amount\":900}", key);
        H2Client.Response again = op(id, "capture", "{\"amount\":900}", key);
        assertEquals(200, first.status());
        assertEquals(200, again.status());
        assertEquals("true", again.header("Idempotent-Replayed"));
        assertEquals(first.body(), again.body());
        assertError(op(id, "capture", "{\"amount\":100}", key), 409, "idempotency_conflict", null);
        String refundKey = "ref-" + UUID.randomUUID();
        assertEquals(201, op(id, "refunds", "{\"amount\":100}", refundKey).status());
        H2Client.Response replay = op(id, "refunds", "{\"amount\":100}", refundKey);
        assertEquals(200, replay.status());
        assertEquals("true", replay.header("Idempotent-Replayed"));
        assertEquals(
                100, db.count("SELECT refunded_amount FROM payments WHERE id = $1", id), "the refund applied once");
    }

    @Test
    void racingRefundsNeverExceedTheCapturedAmount() {
        String id = authorize(Bodies.valid(Bodies.freshPan()).put("amount", 1000));
        List<Future<H2Client.Response>> racing = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            racing.add(app.client()
                    .sendAsync(
                            HttpMethod.POST,
                            "/v1/payments/" + id + "/refunds",
                            TestProcessor.headers(TestProcessor.API_KEY, "race-" + UUID.randomUUID()),
                            "{\"amount\":300}"));
        }
        Map<Integer, Integer> byStatus = new HashMap<>();
        for (Future<H2Client.Response> f : racing)
            byStatus.merge(Await.result(f).status(), 1, Integer::sum);
        assertEquals(Map.of(201, 3, 409, 7), byStatus);
        Row p = db.query("SELECT captured_amount, refunded_amount, status FROM payments WHERE id = $1", id)
                .iterator()
                .next();
        assertEquals(1000L, p.getLong(0));
        assertEquals(900L, p.getLong(1));
        assertEquals("PARTIALLY_REFUNDED", p.getString(2));
        assertLedgerBalanced();
    }

    @Test
    void racingRefundsAcrossTwoProcessesNeverExceedTheCapturedAmount() {
        String id = authorize(Bodies.valid(Bodies.freshPan()).put("amount", 1000));
        try (TestProcessor second = new TestProcessor(db.settings())) {
            List<Future<H2Client.Response>> racing = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                TestProcessor target = i % 2 == 0 ? app : second;
                racing.add(target.client()
                        .sendAsync(
                                HttpMethod.POST,
                                "/v1/payments/" + id + "/refunds",
                                TestProcessor.headers(TestProcessor.API_KEY, "race2-" + UUID.randomUUID()),
                                "{\"amount\":400}"));
            }
            Map<Integer, Integer> byStatus = new HashMap<>();
            for (Future<H2Client.Response> f : racing)
                byStatus.merge(Await.result(f).status(), 1, Integer::sum);
            assertEquals(Map.of(201, 2, 409, 8), byStatus);
        }
        assertEquals(800, db.count("SELECT refunded_amount FROM payments WHERE id = $1", id));
        assertLedgerBalanced();
    }

    @Test
    void balancesFollowTheLedger() {
        String key;
        try (TestDatabase fresh = new TestDatabase();
                TestProcessor own = new TestProcessor(fresh.settings())) {
            key = TestProcessor.API_KEY;
            H2Client.Response sale = own.authorize(
                    "b1", Bodies.valid(Bodies.freshPan()).put("amount", 1000).encode());
            own.authorize(
                    "b2",
                    Bodies.valid(Bodies.freshPan())
                            .put("amount", 500)
                            .put("currency", "JPY")
                            .encode());
            String manualId = own.authorize(
                            "b3",
                            Bodies.valid(Bodies.freshPan())
                                    .put("amount", 700)
                                    .put("capture", "MANUAL")
                                    .encode())
                    .json()
                    .getString("id");
            own.client()
                    .send(
                            HttpMethod.POST,
                            "/v1/payments/" + sale.json().getString("id") + "/refunds",
                            TestProcessor.headers(key, "b4"),
                            "{\"amount\":250}");
            H2Client.Response before = own.client()
                    .get(
                            "/v1/merchants/" + TestProcessor.MERCHANT + "/balance",
                            Map.of("Authorization", "Bearer " + key));
            assertEquals(200, before.status(), before.body());
            assertEquals(
                    new JsonObject()
                            .put("merchantId", TestProcessor.MERCHANT)
                            .put(
                                    "balances",
                                    new JsonArray()
                                            .add(new JsonObject()
                                                    .put("currency", "EUR")
                                                    .put("payable", 750)
                                                    .put("settled", 0)
                                                    .put("exponent", 2)
                                                    .put(
                                                            "decimal",
                                                            new JsonObject()
                                                                    .put("payable", "7.50")
                                                                    .put("settled", "0.00")))
                                            .add(new JsonObject()
                                                    .put("currency", "JPY")
                                                    .put("payable", 500)
                                                    .put("settled", 0)
                                                    .put("exponent", 0)
                                                    .put(
                                                            "decimal",
                                                            new JsonObject()
                                                                    .put("payable", "500")
                                                                    .put("settled", "0")))),
                    before.json());
            own.client()
                    .send(
                            HttpMethod.POST,
                            "/v1/payments/" + manualId + "/capture",
                            TestProcessor.headers(key, "b5"),
                            null);
            H2Client.Response after = own.client()
                    .get(
                            "/v1/merchants/" + TestProcessor.MERCHANT + "/balance",
                            Map.of("Authorization", "Bearer " + key));
            assertEquals(
                    1450, after.json().getJsonArray("balances").getJsonObject(0).getLong("payable"));

            assertError(
                    own.client()
                            .get(
                                    "/v1/merchants/" + TestProcessor.OTHER_MERCHANT + "/balance",
                                    Map.of("Authorization", "Bearer " + key)),
                    403,
                    "forbidden",
                    "merchantId");
            assertError(
                    own.client().get("/v1/merchants/" + TestProcessor.MERCHANT + "/balance", Map.of()),
                    401,
                    "unauthenticated",
                    null);
        }
    }

    @Test
    void uncapturedAuthorizationsExpire() throws InterruptedException {
        try (TestProcessor quick =
                new TestProcessor(db.settings(), Map.of("AUTH_EXPIRY_SECONDS", "1", "EXPIRY_SWEEP_MS", "200"))) {
            String uncaptured = quick.authorize(
                            "e1-" + UUID.randomUUID(),
                            Bodies.valid(Bodies.freshPan())
                                    .put("capture", "MANUAL")
                                    .encode())
                    .json()
                    .getString("id");
            String captured = quick.authorize(
                            "e2-" + UUID.randomUUID(),
                            Bodies.valid(Bodies.freshPan())
                                    .put("capture", "MANUAL")
                                    .encode())
                    .json()
                    .getString("id");
            String sale = quick.authorize(
                            "e3-" + UUID.randomUUID(),
                            Bodies.valid(Bodies.freshPan()).encode())
                    .json()
                    .getString("id");
            assertEquals(
                    200,
                    quick.client()
                            .send(
                                    HttpMethod.POST,
                                    "/v1/payments/" + captured + "/capture",
                                    TestProcessor.headers(TestProcessor.API_KEY, "e4-" + UUID.randomUUID()),
                                    null)
                            .status());
            String status = null;
            for (int i = 0; i < 100 && !"EXPIRED".equals(status); i++) {
                Thread.sleep(100);
                status = db.query("SELECT status FROM payments WHERE id = $1", uncaptured)
                        .iterator()
                        .next()
                        .getString(0);
            }
            assertEquals("EXPIRED", status);
            JsonObject p = quick.client()
                    .get("/v1/payments/" + uncaptured, Map.of("Authorization", "Bearer " + TestProcessor.API_KEY))
                    .json();
            assertEquals("EXPIRY", p.getJsonArray("events").getJsonObject(1).getString("type"));
            assertError(
                    quick.client()
                            .send(
                                    HttpMethod.POST,
                                    "/v1/payments/" + uncaptured + "/capture",
                                    TestProcessor.headers(TestProcessor.API_KEY, "e5-" + UUID.randomUUID()),
                                    null),
                    409,
                    "invalid_state",
                    null);
            Thread.sleep(600); // more sweeps: what was captured or sold never expires, and an expiry happens once
            assertEquals(
                    "CAPTURED",
                    db.query("SELECT status FROM payments WHERE id = $1", captured)
                            .iterator()
                            .next()
                            .getString(0));
            assertEquals(
                    "APPROVED",
                    db.query("SELECT status FROM payments WHERE id = $1", sale)
                            .iterator()
                            .next()
                            .getString(0));
            assertEquals(
                    1,
                    db.count(
                            "SELECT count(*) FROM payment_events WHERE payment_id = $1 AND type = 'EXPIRY'",
                            uncaptured));
        }
    }

    private void assertLedgerBalanced() {
        for (Row r : db.query(
                "SELECT payment_id, event_seq, currency, sum(CASE direction WHEN 'D' THEN amount ELSE -amount END) "
                        + "FROM postings GROUP BY payment_id, event_seq, currency")) {
            assertEquals(0L, r.getLong(3), "unbalanced entry " + r.getString(0) + "#" + r.getInteger(1));
        }
        assertTrue(db.count("SELECT count(*) FROM payments WHERE refunded_amount > captured_amount") == 0);
    }
}
