package dev.payproc.app.it;

import static dev.payproc.testkit.Asserts.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.payproc.testkit.Bodies;
import dev.payproc.testkit.H2Client;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Per-terminal and per-merchant rate limits answer 429 rate_limited with Retry-After, and commit nothing. */
class RateLimitIT extends ProcessorIT {
    @Override
    protected Map<String, String> env() {
        return Map.of("TERMINAL_RATE_LIMIT", "3", "MERCHANT_RATE_LIMIT", "1000");
    }

    @Test
    void aBusyTerminalIsSlowedDownAndOthersAreNot() {
        Map<Integer, Integer> byStatus = new HashMap<>();
        String limitedKey = null;
        for (int i = 0; i < 10; i++) {
            String key = "r-" + UUID.randomUUID();
            H2Client.Response r = app.authorize(
                    key,
                    Bodies.valid(Bodies.freshPan()).put("terminalId", "t-busy").encode());
            byStatus.merge(r.status(), 1, Integer::sum);
            if (r.status() == 429) {
                assertError(r, 429, "rate_limited", null);
                assertEquals("1", r.header("Retry-After"));
                limitedKey = key;
            }
        }
        assertTrue(byStatus.getOrDefault(201, 0) >= 3 && byStatus.getOrDefault(429, 0) >= 1, byStatus.toString());
        assertEquals(0, db.count("SELECT count(*) FROM idempotency_keys WHERE idempotency_key = $1", limitedKey));
        assertEquals(
                201,
                app.authorize(
                                "r-" + UUID.randomUUID(),
                                Bodies.valid(Bodies.freshPan())
                                        .put("terminalId", "t-quiet")
                                        .encode())
                        .status());
    }

    @Test
    void limitsChangeAtRunTime() throws InterruptedException {
        Map<String, String> admin =
                Map.of("Authorization", "Bearer " + TestProcessor.ADMIN_KEY, "Content-Type", "application/json");
        H2Client.Response changed =
                app.client().send(HttpMethod.PUT, "/admin/config", admin, "{\"merchantRatePerSecond\":2}");
        assertEquals(200, changed.status(), changed.body());
        assertEquals(2, changed.json().getInteger("merchantRatePerSecond"));
        Thread.sleep(1100); // a fresh one-second budget
        JsonArray items = new JsonArray();
        for (int i = 0; i < 5; i++)
            items.add(Bodies.valid(Bodies.freshPan()).put("idempotencyKey", "rb-" + UUID.randomUUID()));
        assertError(app.batch(new JsonObject().put("items", items).encode()), 429, "rate_limited", null);
        app.client().send(HttpMethod.PUT, "/admin/config", admin, "{\"merchantRatePerSecond\":0}"); // 0 = no limit
        Thread.sleep(1100);
        assertEquals(
                200, app.batch(new JsonObject().put("items", items).encode()).status());
        assertError(
                app.client().send(HttpMethod.PUT, "/admin/config", admin, "{\"terminalRatePerSecond\":-1}"),
                400,
                "invalid_request",
                "terminalRatePerSecond");
    }
}
