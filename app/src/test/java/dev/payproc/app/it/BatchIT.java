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
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** {@code POST /v1/authorizations/batch}: a result or error per item, in order, each idempotent on its own key. */
class BatchIT extends ProcessorIT {

    private H2Client.Response batch(JsonArray items) {
        return batch(new JsonObject().put("items", items).encode());
    }

    private H2Client.Response batch(String body) {
        return app.batch(body);
    }

    private static JsonObject item(String key, JsonObject body) {
        return body.copy().put("idempotencyKey", key);
    }

    @Test
    void answersEveryItemInOrder() {
        String k = "b-" + UUID.randomUUID();
        String replayedKey = k + "-0";
        JsonObject earlier = Bodies.valid(Bodies.freshPan()).put("amount", 77);
        assertEquals(201, app.authorize(replayedKey, earlier.encode()).status());
        JsonArray items = new JsonArray()
                .add(item(k + "-1", Bodies.valid(Bodies.freshPan())))
                .add(item(k + "-2", Bodies.valid(Bodies.freshPan()).put("amount", 0)))
                .add(item(k + "-3", Bodies.valid(Bodies.freshPan()).put("amount", 2_000_000)))
                .add(item(k + "-4", Bodies.valid(Bodies.freshPan()).put("merchantId", TestProcessor.OTHER_MERCHANT)))
                .add(Bodies.valid(Bodies.freshPan()))
                .add("not an object")
                .add(item(replayedKey, earlier))
                .add(item(
                        k + "-8",
                        Bodies.valid(Bodies.freshPan())
                                .put(
                                        "card",
                                        new JsonObject()
                                                .put("pan", "4111111111111112")
                                                .put("expiry", "12/30"))));
        H2Client.Response r = batch(items);
        assertEquals(200, r.status(), r.body());
        JsonArray results = r.json().getJsonArray("results");
        assertEquals(items.size(), results.size());

        JsonObject approved = results.getJsonObject(0);
        assertEquals(201, approved.getInteger("httpStatus"));
        assertEquals(k + "-1", approved.getString("idempotencyKey"));
        assertEquals("APPROVED", approved.getString("status"));
        assertEquals(1, db.count("SELECT count(*) FROM payments WHERE id = $1", approved.getString("id")));

        assertEquals(400, results.getJsonObject(1).getInteger("httpStatus"));
        assertEquals("items[1].amount", results.getJsonObject(1).getString("field"));
        assertEquals("DECLINED", results.getJsonObject(2).getString("status"));
        AuthorizationApiIT.reason(results.getJsonObject(2), "AMOUNT_LIMIT");
        assertEquals(403, results.getJsonObject(3).getInteger("httpStatus"));
        assertEquals("forbidden", results.getJsonObject(3).getString("error"));
        assertEquals("items[4].idempotencyKey", results.getJsonObject(4).getString("field"));
        assertEquals("items[5]", results.getJsonObject(5).getString("field"));
        JsonObject replay = results.getJsonObject(6);
        assertEquals(200, replay.getInteger("httpStatus"));
        assertTrue(replay.getBoolean("replayed"));
        assertEquals(77, replay.getLong("amount"));
        assertEquals("items[7].card.pan", results.getJsonObject(7).getString("field"));
        assertFalse(r.body().contains("4111111111111112"), "no PAN echoed");
    }

    @Test
    void aRepeatedBatchIsReplayedItemByItem() {
        String k = "rb-" + UUID.randomUUID();
        JsonArray items = new JsonArray();
        for (int i = 0; i < 50; i++)
            items.add(item(k + "-" + i, Bodies.valid(Bodies.freshPan()).put("amount", 100 + i)));
        JsonArray first = batch(items).json().getJsonArray("results");
        JsonArray again = batch(items).json().getJsonArray("results");
        for (int i = 0; i < 50; i++) {
            assertEquals(201, first.getJsonObject(i).getInteger("httpStatus"));
            assertEquals(200, again.getJsonObject(i).getInteger("httpStatus"));
            JsonObject a = first.getJsonObject(i).copy();
            JsonObject b = again.getJsonObject(i).copy();
            a.remove("httpStatus");
            b.remove("httpStatus");
            b.remove("replayed");
            assertEquals(a, b);
            assertEquals(100 + i, a.getLong("amount"), "results stay in item order");
        }
        assertEquals(50, db.count("SELECT count(*) FROM idempotency_keys WHERE idempotency_key LIKE $1", k + "-%"));
    }

    @Test
    void duplicateKeysInOneBatchCommitOnce() {
        String key = "dup-" + UUID.randomUUID();
        JsonObject body = Bodies.valid(Bodies.freshPan());
        JsonArray results = batch(new JsonArray()
                        .add(item(key, body))
                        .add(item(key, body))
                        .add(item(key, body.copy().put("amount", 5))))
                .json()
                .getJsonArray("results");
        assertEquals(201, results.getJsonObject(0).getInteger("httpStatus"));
        assertEquals(200, results.getJsonObject(1).getInteger("httpStatus"));
        assertEquals(409, results.getJsonObject(2).getInteger("httpStatus"));
        assertEquals(1, db.count("SELECT count(*) FROM idempotency_keys WHERE idempotency_key = $1", key));
    }

    @Test
    void refusesABadEnvelope() {
        assertError(batch("{}"), 400, "invalid_request", "items");
        assertError(batch(new JsonArray()), 400, "invalid_request", "items");
        assertError(batch("{\"items\":{}}"), 400, "invalid_request", "items");
        assertError(batch("{\"items\":[],\"extra\":1}"), 400, "invalid_request", null);
        assertError(batch("[1]"), 400, "invalid_request", null);
        JsonArray tooMany = new JsonArray();
        for (int i = 0; i < 1001; i++) tooMany.add(new JsonObject());
        assertError(batch(tooMany), 400, "invalid_request", "items");
        JsonArray huge = new JsonArray();
        for (int i = 0; i < 1000; i++)
            huge.add(item("h" + i, Bodies.valid().put("terminalId", "x".repeat(60)))
                    .put("mcc", "x".repeat(1100)));
        assertError(batch(huge), 413, "payload_too_large", null);
        assertError(
                app.client()
                        .send(
                                HttpMethod.POST,
                                "/v1/authorizations/batch",
                                TestProcessor.headers("sk_nope", null),
                                "{}"),
                401,
                "unauthenticated",
                null);
    }

    @Test
    void aThousandItemsInOneRequest() {
        String k = "k-" + UUID.randomUUID();
        JsonArray items = new JsonArray();
        for (int i = 0; i < 1000; i++)
            items.add(item(k + "-" + i, Bodies.valid(Bodies.freshPan()).put("amount", 1 + i)));
        H2Client.Response r = batch(items);
        assertEquals(200, r.status());
        JsonArray results = r.json().getJsonArray("results");
        assertEquals(1000, results.size());
        for (int i = 0; i < 1000; i++)
            assertEquals(
                    201,
                    results.getJsonObject(i).getInteger("httpStatus"),
                    results.getJsonObject(i).encode());
        assertEquals(1000, db.count("SELECT count(*) FROM idempotency_keys WHERE idempotency_key LIKE $1", k + "-%"));
    }
}
