package dev.payproc.app.it;

import static dev.payproc.testkit.Asserts.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.payproc.testkit.Await;
import dev.payproc.testkit.Bodies;
import dev.payproc.testkit.H2Client;
import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The authorization contract end to end: HTTP/2 to a running gateway, committed in real PostgreSQL. */
class AuthorizationApiIT extends ProcessorIT {

    private static String key() {
        return "k-" + UUID.randomUUID();
    }

    @Test
    void approvesAndCommitsBeforeAnswering() {
        String pan = Bodies.freshPan();
        JsonObject sent = Bodies.valid(pan);
        H2Client.Response r = app.authorize(key(), sent.encode());

        assertEquals(201, r.status(), r.body());
        assertEquals(HttpVersion.HTTP_2, r.version());
        assertEquals("application/json", r.header("content-type"));
        JsonObject p = r.json();
        assertTrue(Pattern.matches("pay_[0-9A-HJKMNP-TV-Z]{26}", p.getString("id")), p.getString("id"));
        assertEquals("APPROVED", p.getString("status"));
        assertTrue(Pattern.matches("[0-9A-Z]{6}", p.getString("authCode")));
        assertEquals(0, p.getInteger("riskScore"));
        assertEquals(new JsonArray(), p.getJsonArray("reasons"));
        assertEquals(1250, p.getLong("amount"));
        assertEquals("EUR", p.getString("currency"));
        assertEquals(1250, p.getLong("capturedAmount"));
        assertEquals(0, p.getLong("refundedAmount"));
        JsonObject card = p.getJsonObject("card");
        assertTrue(card.getString("token").matches("tok_[A-Za-z0-9_-]{24}"));
        assertEquals(pan.substring(0, 6) + "******" + pan.substring(12), card.getString("masked"));
        assertEquals("12/30", card.getString("expiry"));
        assertEquals("m-1001", p.getString("merchantId"));
        assertEquals(sent.getString("terminalId"), p.getString("terminalId"));
        assertTrue(Pattern.matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z", p.getString("createdAt")));

        // Durable before acknowledged: the answer implies the rows are committed.
        String id = p.getString("id");
        Row row = db.query("SELECT status, amount, captured_amount, masked_pan FROM payments WHERE id = $1", id)
                .iterator()
                .next();
        assertEquals("APPROVED", row.getString(0));
        assertEquals(1250L, row.getLong(1));
        assertEquals(1250L, row.getLong(2));
        assertEquals(1, db.count("SELECT count(*) FROM idempotency_keys WHERE payment_id = $1", id));
        assertEquals(1, db.count("SELECT count(*) FROM payment_events WHERE payment_id = $1", id));
        assertEquals(1250, db.count("SELECT sum(amount) FROM postings WHERE payment_id = $1 AND direction = 'D'", id));
        assertEquals(1250, db.count("SELECT sum(amount) FROM postings WHERE payment_id = $1 AND direction = 'C'", id));
    }

    @Test
    void ledgerBalancesPerCurrency() {
        app.authorize(key(), Bodies.valid(Bodies.freshPan()).put("amount", 999).encode());
        app.authorize(
                key(),
                Bodies.valid(Bodies.freshPan())
                        .put("currency", "JPY")
                        .put("amount", 5000)
                        .encode());
        for (Row r : db.query(
                "SELECT currency, sum(CASE direction WHEN 'D' THEN amount ELSE -amount END) FROM postings GROUP BY currency")) {
            assertEquals(0L, r.getLong(1), "unbalanced ledger in " + r.getString(0));
        }
        assertTrue(db.count("SELECT count(*) FROM postings WHERE currency = 'JPY'") >= 2);
    }

    @Test
    void manualCaptureAuthorizesWithoutMovingMoney() {
        H2Client.Response r = app.authorize(
                key(), Bodies.valid(Bodies.freshPan()).put("capture", "MANUAL").encode());
        assertEquals(201, r.status(), r.body());
        assertEquals("APPROVED", r.json().getString("status"));
        assertEquals(0, r.json().getLong("capturedAmount"));
        assertEquals(
                0,
                db.count(
                        "SELECT count(*) FROM postings WHERE payment_id = $1",
                        r.json().getString("id")));
    }

    @Test
    void declinesAboveTheAmountLimitWithAReason() {
        // With a PIN, so that the step-up challenge for large unverified amounts stays out of this test.
        H2Client.Response atLimit = app.authorize(
                key(),
                Bodies.valid(Bodies.freshPan())
                        .put("amount", 1_000_000)
                        .put("cardholderVerification", "PIN")
                        .encode());
        assertEquals("APPROVED", atLimit.json().getString("status"), atLimit.body());
        assertFalse(atLimit.body().contains("AMOUNT_LIMIT"), atLimit.body());

        H2Client.Response r = app.authorize(
                key(),
                Bodies.valid(Bodies.freshPan())
                        .put("amount", 1_000_001)
                        .put("cardholderVerification", "PIN")
                        .encode());
        assertEquals(201, r.status());
        JsonObject p = r.json();
        assertEquals("DECLINED", p.getString("status"));
        assertNull(p.getString("authCode"));
        assertEquals(0, p.getLong("capturedAmount"));
        JsonObject reason = reason(p, "AMOUNT_LIMIT");
        assertTrue(reason.getString("message").contains("1000000"), reason.getString("message"));
        assertTrue(p.getInteger("riskScore") > 0);
        assertEquals(
                "DECLINED",
                db.query("SELECT status FROM payments WHERE id = $1", p.getString("id"))
                        .iterator()
                        .next()
                        .getString(0));
        assertEquals(0, db.count("SELECT count(*) FROM postings WHERE payment_id = $1", p.getString("id")));
    }

    @Test
    void declinesTheSixthAttemptOfACardWithinAMinute() {
        String pan = Bodies.freshPan();
        for (int i = 1; i <= 5; i++) {
            H2Client.Response r = app.authorize(key(), Bodies.valid(pan).encode());
            assertEquals("APPROVED", r.json().getString("status"), "attempt " + i + ": " + r.body());
        }
        H2Client.Response sixth = app.authorize(key(), Bodies.valid(pan).encode());
        assertEquals("DECLINED", sixth.json().getString("status"));
        assertEquals(
                "6 attempts in 60s (limit 5)",
                reason(sixth.json(), "VELOCITY_CARD").getString("message"));
        // Declined attempts count too.
        H2Client.Response seventh = app.authorize(key(), Bodies.valid(pan).encode());
        assertEquals(
                "7 attempts in 60s (limit 5)",
                reason(seventh.json(), "VELOCITY_CARD").getString("message"));
    }

    @Test
    void aReturnedTokenPaysAgainWithoutThePan() {
        H2Client.Response first =
                app.authorize(key(), Bodies.valid(Bodies.freshPan()).encode());
        JsonObject card = first.json().getJsonObject("card");
        JsonObject body = Bodies.valid().put("card", new JsonObject().put("token", card.getString("token")));
        H2Client.Response second = app.authorize(key(), body.encode());
        assertEquals(201, second.status(), second.body());
        assertEquals(card, second.json().getJsonObject("card"));

        H2Client.Response unknown = app.authorize(
                key(),
                Bodies.valid()
                        .put("card", new JsonObject().put("token", "tok_AAAAAAAAAAAAAAAAAAAAAAAA"))
                        .encode());
        assertError(unknown, 400, "invalid_request", "card.token");
    }

    @Test
    void tokensAreScopedToTheMerchant() {
        H2Client.Response first =
                app.authorize(key(), Bodies.valid(Bodies.freshPan()).encode());
        String token = first.json().getJsonObject("card").getString("token");
        JsonObject body = Bodies.valid()
                .put("merchantId", TestProcessor.OTHER_MERCHANT)
                .put("card", new JsonObject().put("token", token));
        H2Client.Response r = app.client()
                .send(
                        HttpMethod.POST,
                        "/v1/authorizations",
                        TestProcessor.headers(app.otherMerchantKey(), key()),
                        body.encode());
        assertError(r, 400, "invalid_request", "card.token");
    }

    @Test
    void replayReturnsTheCommittedAnswer() {
        String k = key();
        String body = Bodies.valid(Bodies.freshPan()).encode();
        H2Client.Response first = app.authorize(k, body);
        H2Client.Response again = app.authorize(k, body);
        assertEquals(201, first.status());
        assertEquals(200, again.status());
        assertEquals("true", again.header("Idempotent-Replayed"));
        assertNull(first.header("Idempotent-Replayed"));
        assertEquals(first.body(), again.body());
        // Field order and whitespace do not make a different request.
        JsonObject reordered = new JsonObject();
        List<String> names = new ArrayList<>(new JsonObject(body).fieldNames());
        java.util.Collections.reverse(names);
        for (String n : names) reordered.put(n, new JsonObject(body).getValue(n));
        assertEquals(200, app.authorize(k, reordered.encodePrettily()).status());
        assertEquals(
                1,
                db.count(
                        "SELECT count(*) FROM payments WHERE id = $1",
                        first.json().getString("id")));
    }

    @Test
    void aDifferentBodyUnderTheSameKeyIsAConflict() {
        String k = key();
        String pan = Bodies.freshPan();
        assertEquals(201, app.authorize(k, Bodies.valid(pan).encode()).status());
        H2Client.Response r =
                app.authorize(k, Bodies.valid(pan).put("amount", 1251).encode());
        assertError(r, 409, "idempotency_conflict", null);
        assertEquals(1, db.count("SELECT count(*) FROM idempotency_keys WHERE idempotency_key = $1", k));
    }

    @Test
    void keysAreScopedPerMerchant() {
        String k = key();
        assertEquals(
                201, app.authorize(k, Bodies.valid(Bodies.freshPan()).encode()).status());
        JsonObject other = Bodies.valid(Bodies.freshPan()).put("merchantId", TestProcessor.OTHER_MERCHANT);
        H2Client.Response r = app.client()
                .send(
                        HttpMethod.POST,
                        "/v1/authorizations",
                        TestProcessor.headers(app.otherMerchantKey(), k),
                        other.encode());
        assertEquals(201, r.status(), r.body());
    }

    @Test
    void concurrentDuplicatesCommitOnePayment() {
        String k = key();
        String body = Bodies.valid(Bodies.freshPan()).encode();
        List<Future<H2Client.Response>> inFlight = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            inFlight.add(app.client()
                    .sendAsync(
                            HttpMethod.POST,
                            "/v1/authorizations",
                            TestProcessor.headers(TestProcessor.API_KEY, k),
                            body));
        }
        Map<Integer, Integer> byStatus = new HashMap<>();
        String committedBody = null;
        for (Future<H2Client.Response> f : inFlight) {
            H2Client.Response r = Await.result(f);
            byStatus.merge(r.status(), 1, Integer::sum);
            if (committedBody == null) committedBody = r.body();
            assertEquals(committedBody, r.body(), "every duplicate hears the same committed answer");
        }
        assertEquals(Map.of(201, 1, 200, 19), byStatus);
        assertEquals(1, db.count("SELECT count(*) FROM idempotency_keys WHERE idempotency_key = $1", k));
    }

    @Test
    void concurrentConflictingRequestsCommitOnlyOne() {
        String k = key();
        String pan = Bodies.freshPan();
        List<Future<H2Client.Response>> inFlight = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            inFlight.add(app.client()
                    .sendAsync(
                            HttpMethod.POST,
                            "/v1/authorizations",
                            TestProcessor.headers(TestProcessor.API_KEY, k),
                            Bodies.valid(pan).put("amount", 1000 + i).encode()));
        }
        Map<Integer, Integer> byStatus = new HashMap<>();
        for (Future<H2Client.Response> f : inFlight)
            byStatus.merge(Await.result(f).status(), 1, Integer::sum);
        assertEquals(Map.of(201, 1, 409, 9), byStatus);
        assertEquals(
                1,
                db.count(
                        "SELECT count(*) FROM payments p JOIN idempotency_keys k ON k.payment_id = p.id "
                                + "WHERE k.idempotency_key = $1",
                        k));
    }

    @Test
    void readsAPaymentWithItsEvents() {
        JsonObject created =
                app.authorize(key(), Bodies.valid(Bodies.freshPan()).encode()).json();
        String id = created.getString("id");
        H2Client.Response r =
                app.client().get("/v1/payments/" + id, Map.of("Authorization", "Bearer " + TestProcessor.API_KEY));
        assertEquals(200, r.status(), r.body());
        JsonObject p = r.json();
        JsonArray events = p.getJsonArray("events");
        p.remove("events");
        // The read adds what the authorization answer does not carry (issue 18): what disputes hold, and the
        // payment's disputes. Both carry the amounts with the currency's exponent; the read's also the disputed one.
        assertEquals(2, p.remove("exponent"));
        assertEquals(2, created.remove("exponent"));
        assertEquals(
                new JsonObject()
                        .put("amount", "12.50")
                        .put("captured", "12.50")
                        .put("refunded", "0.00")
                        .put("disputed", "0.00")
                        .put("fee", "0.00"),
                p.remove("decimal"));
        assertEquals(
                new JsonObject()
                        .put("amount", "12.50")
                        .put("captured", "12.50")
                        .put("refunded", "0.00")
                        .put("fee", "0.00"),
                created.remove("decimal"));
        assertEquals(0, p.remove("disputedAmount"));
        assertEquals(new JsonArray(), p.remove("disputes"));
        assertEquals(created, p);
        assertEquals(1, events.size());
        JsonObject e = events.getJsonObject(0);
        assertEquals("AUTHORIZATION", e.getString("type"));
        assertEquals("APPROVED", e.getString("status"));
        assertEquals(1250, e.getLong("amount"));
        assertEquals(created.getString("createdAt"), e.getString("createdAt"));

        assertError(
                app.client()
                        .get(
                                "/v1/payments/pay_00000000000000000000000000",
                                Map.of("Authorization", "Bearer " + TestProcessor.API_KEY)),
                404,
                "not_found",
                null);
        assertError(
                app.client().get("/v1/payments/" + id, Map.of("Authorization", "Bearer " + app.otherMerchantKey())),
                404,
                "not_found",
                null);
        assertError(app.client().get("/v1/payments/" + id, Map.of()), 401, "unauthenticated", null);
    }

    @Test
    void refusesMissingAndUnknownKeys() {
        String body = Bodies.valid().encode();
        Map<String, String> noKey = new HashMap<>(TestProcessor.headers(TestProcessor.API_KEY, key()));
        noKey.remove("Authorization");
        assertError(
                app.client().send(HttpMethod.POST, "/v1/authorizations", noKey, body), 401, "unauthenticated", null);
        assertError(
                app.client()
                        .send(HttpMethod.POST, "/v1/authorizations", TestProcessor.headers("sk_wrong", key()), body),
                401,
                "unauthenticated",
                null);
        Map<String, String> basic = new HashMap<>(noKey);
        basic.put("Authorization", "Basic dXNlcjpwYXNz");
        assertError(
                app.client().send(HttpMethod.POST, "/v1/authorizations", basic, body), 401, "unauthenticated", null);
    }

    @Test
    void refusesAKeyOfAnotherMerchant() {
        H2Client.Response r = app.client()
                .send(
                        HttpMethod.POST,
                        "/v1/authorizations",
                        TestProcessor.headers(app.otherMerchantKey(), key()),
                        Bodies.valid().encode());
        assertError(r, 403, "forbidden", "merchantId");
    }

    @Test
    void refusesNonJsonAndOversizedBodies() {
        Map<String, String> h = new HashMap<>(TestProcessor.headers(TestProcessor.API_KEY, key()));
        h.put("Content-Type", "text/plain");
        assertError(
                app.client()
                        .send(
                                HttpMethod.POST,
                                "/v1/authorizations",
                                h,
                                Bodies.valid().encode()),
                415,
                "unsupported_media_type",
                null);
        h.remove("Content-Type");
        assertError(
                app.client()
                        .send(
                                HttpMethod.POST,
                                "/v1/authorizations",
                                h,
                                Bodies.valid().encode()),
                415,
                "unsupported_media_type",
                null);

        String huge = Bodies.valid().put("terminalId", "x".repeat(20_000)).encode();
        assertError(app.authorize(key(), huge), 413, "payload_too_large", null);
        // The charset parameter is fine.
        Map<String, String> utf8 = new HashMap<>(TestProcessor.headers(TestProcessor.API_KEY, key()));
        utf8.put("Content-Type", "application/json; charset=utf-8");
        assertEquals(
                201,
                app.client()
                        .send(
                                HttpMethod.POST,
                                "/v1/authorizations",
                                utf8,
                                Bodies.valid(Bodies.freshPan()).encode())
                        .status());
    }

    @Test
    void requiresAWellFormedIdempotencyKey() {
        assertError(app.authorize(null, Bodies.valid().encode()), 400, "invalid_request", "Idempotency-Key");
        assertError(app.authorize("has space", Bodies.valid().encode()), 400, "invalid_request", "Idempotency-Key");
        assertError(app.authorize("k".repeat(65), Bodies.valid().encode()), 400, "invalid_request", "Idempotency-Key");
        assertEquals(
                201,
                app.authorize(
                                "K_" + "k".repeat(62),
                                Bodies.valid(Bodies.freshPan()).encode())
                        .status());
    }

    @Test
    void validatesEveryField() {
        Map<String, JsonObject> cases = new java.util.LinkedHashMap<>();
        cases.put("merchantId", Bodies.valid().putNull("merchantId"));
        cases.put("terminalId", Bodies.valid().put("terminalId", 77));
        cases.put("amount", Bodies.valid().put("amount", 0));
        cases.put("amount#", Bodies.valid().put("amount", 12.5));
        cases.put("amount##", Bodies.valid().put("amount", "1250"));
        cases.put("amount###", Bodies.valid().put("amount", -5));
        cases.put("currency", Bodies.valid().put("currency", "EURO"));
        cases.put("currency#", Bodies.valid().put("currency", "eur"));
        cases.put("card", Bodies.valid().put("card", "4111111111111111"));
        cases.put("card#", Bodies.valid().put("card", new JsonObject()));
        cases.put(
                "card.pan",
                Bodies.valid()
                        .put(
                                "card",
                                new JsonObject().put("pan", "4111111111111112").put("expiry", "12/30")));
        cases.put(
                "card.pan#",
                Bodies.valid()
                        .put("card", new JsonObject().put("pan", "41111111111").put("expiry", "12/30")));
        cases.put(
                "card.pan##",
                Bodies.valid()
                        .put(
                                "card",
                                new JsonObject()
                                        .put("pan", "4111-1111-1111-1111")
                                        .put("expiry", "12/30")));
        cases.put(
                "card.expiry",
                Bodies.valid()
                        .put("card", new JsonObject().put("pan", Bodies.VISA).put("expiry", "01/20")));
        cases.put(
                "card.expiry#",
                Bodies.valid()
                        .put("card", new JsonObject().put("pan", Bodies.VISA).put("expiry", "13/30")));
        cases.put("card.expiry##", Bodies.valid().put("card", new JsonObject().put("pan", Bodies.VISA)));
        cases.put(
                "card.cvv",
                Bodies.valid()
                        .put(
                                "card",
                                new JsonObject()
                                        .put("pan", Bodies.VISA)
                                        .put("expiry", "12/30")
                                        .put("cvv", "123")));
        cases.put(
                "card#both",
                Bodies.valid()
                        .put(
                                "card",
                                new JsonObject()
                                        .put("pan", Bodies.VISA)
                                        .put("expiry", "12/30")
                                        .put("token", "tok_AAAAAAAAAAAAAAAAAAAAAAAA")));
        cases.put("entryMode", Bodies.valid().put("entryMode", "TELEPATHY"));
        cases.put("mcc", Bodies.valid().put("mcc", "54111"));
        cases.put("mcc#", Bodies.valid().put("mcc", 5411));
        cases.put("merchantCountry", Bodies.valid().put("merchantCountry", "XX"));
        cases.put("cardholderVerification", Bodies.valid().put("cardholderVerification", "PIN_AND_SMILE"));
        cases.put("capture", Bodies.valid().put("capture", "LATER"));
        cases.put("surprise", Bodies.valid().put("surprise", true));
        for (Map.Entry<String, JsonObject> c : cases.entrySet()) {
            String field = c.getKey().contains("#")
                    ? c.getKey().substring(0, c.getKey().indexOf('#'))
                    : c.getKey();
            if (c.getKey().equals("card#both")) field = "card";
            H2Client.Response r = app.authorize(key(), c.getValue().encode());
            assertError(r, 400, "invalid_request", field);
        }
        assertError(app.authorize(key(), "{\"merchantId\":"), 400, "invalid_request", null);
        assertError(app.authorize(key(), "[1,2]"), 400, "invalid_request", null);
        assertError(app.authorize(key(), ""), 400, "invalid_request", null);
        assertError(app.authorize(key(), "{\"amount\":1,\"amount\":2}"), 400, "invalid_request", null);
        assertError(app.authorize(key(), Bodies.valid().encode() + "{}"), 400, "invalid_request", null);
    }

    @Test
    void optionalFieldsDefaultToSaleWithoutVerification() {
        JsonObject body = Bodies.valid(Bodies.freshPan());
        body.remove("capture");
        body.remove("cardholderVerification");
        H2Client.Response r = app.authorize(key(), body.encode());
        assertEquals(201, r.status(), r.body());
        assertEquals(1250, r.json().getLong("capturedAmount"));
    }

    @Test
    void speaksHttp11Too() {
        try (H2Client http11 = H2Client.http11(app.port())) {
            H2Client.Response r = http11.send(
                    HttpMethod.POST,
                    "/v1/authorizations",
                    TestProcessor.headers(TestProcessor.API_KEY, key()),
                    Bodies.valid(Bodies.freshPan()).encode());
            assertEquals(201, r.status(), r.body());
            assertEquals(HttpVersion.HTTP_1_1, r.version());
        }
    }

    @Test
    void exposesMetricsAndHealth() {
        app.authorize(key(), Bodies.valid(Bodies.freshPan()).encode());
        assertEquals(200, app.client().get("/health/live", Map.of()).status());
        H2Client.Response ready = app.client().get("/health/ready", Map.of());
        assertEquals(200, ready.status(), ready.body());
        assertTrue(ready.json().getBoolean("database"));

        // Quantiles are published once a second, one histogram after the other (the event-loop lag last).
        String text = "";
        for (int i = 0; i < 50 && !text.contains("payproc_stage_latency_seconds_count{stage=\"end_to_end\"} "); i++) {
            text = app.client().get("/metrics", Map.of()).body();
            if (!Pattern.compile("payproc_stage_latency_seconds_count\\{stage=\"end_to_end\"} [1-9]")
                            .matcher(text)
                            .find()
                    || !Pattern.compile("payproc_event_loop_lag_seconds_count [1-9]")
                            .matcher(text)
                            .find()) {
                text = "";
                Await.sleep(100);
            }
        }
        for (String stage : List.of("end_to_end", "intake_queue", "risk", "settlement_queue", "commit")) {
            for (String q : List.of("0.5", "0.9", "0.99", "0.999", "1.0")) {
                assertTrue(
                        text.contains("payproc_stage_latency_seconds{stage=\"" + stage + "\",quantile=\"" + q + "\"}"),
                        stage + " " + q + " missing from\n" + text);
            }
        }
        assertTrue(text.contains("payproc_intake_queue_depth "), text);
        assertTrue(text.contains("payproc_intake_queue_capacity "), text);
        assertTrue(
                Pattern.compile("payproc_decisions_total\\{status=\"APPROVED\"} [1-9]")
                        .matcher(text)
                        .find(),
                text);
        assertTrue(
                Pattern.compile(
                                "payproc_http_responses_total\\{route=\"POST /v1/authorizations\",status=\"201\"} [1-9]")
                        .matcher(text)
                        .find(),
                text);
        assertTrue(text.contains("payproc_db_circuit_breaker_state{state=\"CLOSED\"} 1"), text);
        assertTrue(
                Pattern.compile("jvm_memory_used_bytes\\{area=\"heap\"} [1-9]")
                        .matcher(text)
                        .find(),
                text);
        assertTrue(text.contains("jvm_gc_collection_seconds_count{gc="), text);
        assertTrue(text.contains("# TYPE payproc_settlement_batch_size summary"), text);
        // The lag probe runs every 10 ms on each event loop from the start.
        assertTrue(
                Pattern.compile("payproc_event_loop_lag_seconds_count [1-9][0-9]")
                        .matcher(text)
                        .find(),
                text);
        assertTrue(text.contains("payproc_event_loop_lag_seconds{quantile=\"0.99\"} "), text);
        assertTrue(
                Pattern.compile("payproc_in_flight_limit_configured [1-9]")
                        .matcher(text)
                        .find(),
                text);
    }

    @Test
    void unknownEndpointsAnswerJson404() {
        H2Client.Response r = app.client().get("/v1/nothing-here", Map.of());
        assertError(r, 404, "not_found", null);
    }

    /** The reason with this code among the payment's reasons (it fails when the rule did not fire). */
    static JsonObject reason(JsonObject payment, String code) {
        for (Object o : payment.getJsonArray("reasons")) {
            if (code.equals(((JsonObject) o).getString("code"))) return (JsonObject) o;
        }
        throw new AssertionError(code + " did not fire: " + payment.getJsonArray("reasons"));
    }
}
