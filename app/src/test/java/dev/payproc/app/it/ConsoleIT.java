package dev.payproc.app.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.payproc.testkit.Bodies;
import dev.payproc.testkit.H2Client;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/** The SRE console over HTTP/2: the page and its chart library from the jar, and its admin-only JSON feed. */
class ConsoleIT extends ProcessorIT {
    /**
     * The limit in force is the configured one: on a busy machine adaptive admission would lower it (and raise its
     * alert), and this test reads the console's figures, not admission's reaction to the machine.
     */
    @Override
    protected Map<String, String> env() {
        return Map.of("ADMISSION_LAG_TARGET_MS", "0");
    }

    static final Map<String, String> ADMIN = Map.of("Authorization", "Bearer " + TestProcessor.ADMIN_KEY);

    @Test
    void thePageAndItsChartLibraryAreServedFromTheJar() {
        H2Client.Response page = app.client().get("/console", Map.of());
        assertEquals(200, page.status());
        assertEquals(HttpVersion.HTTP_2, page.version());
        assertTrue(page.header("content-type").startsWith("text/html"), page.header("content-type"));
        assertTrue(
                page.header("Content-Security-Policy").contains("default-src 'self'"),
                "the page runs only its own scripts");
        for (String asset : List.of(
                "/console/lib/uPlot.iife.min.js",
                "/console/lib/uPlot.min.css",
                "/console/console.js",
                "/console/console.css")) {
            assertTrue(page.body().contains("\"" + asset + "\""), "the page loads " + asset);
            H2Client.Response r = app.client().get(asset, Map.of());
            assertEquals(200, r.status(), asset);
            assertTrue(r.body().length() > 500, asset);
        }
        H2Client.Response uplot = app.client().get("/console/lib/uPlot.iife.min.js", Map.of());
        assertTrue(uplot.header("content-type").startsWith("text/javascript"));
        assertTrue(uplot.body().contains("uPlot"), "the WebJar's uPlot build");
        assertTrue(app.client().get("/console/console.js", Map.of()).body().contains("/admin/console/feed"));
        assertEquals(404, app.client().get("/console/secrets.txt", Map.of()).status());
    }

    @Test
    void theFeedTakesOnlyTheAdminKey() {
        assertEquals(401, app.client().get("/admin/console/feed", Map.of()).status());
        H2Client.Response wrong =
                app.client().get("/admin/console/feed", Map.of("Authorization", "Bearer not-the-admin-key"));
        assertEquals(401, wrong.status());
        assertEquals("unauthenticated", wrong.json().getString("error"));
        assertEquals(
                401,
                app.client()
                        .get("/admin/console/feed", Map.of("Authorization", "Bearer " + TestProcessor.API_KEY))
                        .status(),
                "a terminal key is no admin key");
        H2Client.Response ok = app.client().get("/admin/console/feed", ADMIN);
        assertEquals(200, ok.status(), ok.body());
        assertEquals("application/json", ok.header("content-type"));
        assertEquals(
                400,
                app.client().get("/admin/console/feed?since=yesterday", ADMIN).status());
    }

    @Test
    void theFeedShowsTrafficLatencyQueuesAndTheLatestDeclineWithoutCardNumbers() throws Exception {
        JsonObject before = feed(null).getJsonObject("decisionsSinceStart");
        List<String> pans = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            String pan = Bodies.freshPan();
            pans.add(pan);
            assertEquals(
                    201,
                    app.authorize("c-" + UUID.randomUUID(), Bodies.valid(pan).encode())
                            .status());
        }
        String declinedPan = Bodies.freshPan();
        pans.add(declinedPan);
        JsonObject declined = app.authorize(
                        "c-" + UUID.randomUUID(),
                        Bodies.valid(declinedPan)
                                .put("amount", 1_000_001)
                                .put("cardholderVerification", "PIN")
                                .encode())
                .json();
        assertEquals("DECLINED", declined.getString("status"));
        String badPan = "4111111111111112"; // not Luhn-valid: a 400
        assertEquals(
                400,
                app.authorize("c-" + UUID.randomUUID(), Bodies.valid(badPan).encode())
                        .status());
        pans.add(badPan);

        JsonObject feed = awaitFeed(f -> sum(f.getJsonArray("series"), "DECLINED") > 0
                && flagged(f, declined.getString("id")) != null
                && errors(f.getJsonArray("series"), "400") > 0);

        // Counts rise, and per-second rates of outcomes and errors are computed server-side from the counters.
        JsonObject after = feed.getJsonObject("decisionsSinceStart");
        assertEquals(12, after.getLong("APPROVED") - before.getLong("APPROVED"), after.encode());
        assertEquals(1, after.getLong("DECLINED") - before.getLong("DECLINED"), after.encode());
        assertTrue(sum(feed.getJsonArray("series"), "APPROVED") > 0, feed.encode());
        JsonObject headline = feed.getJsonObject("headline");
        assertTrue(headline.getDouble("declinePercent") > 0, headline.encode());
        assertTrue(headline.getDouble("p99Ms") > 0, headline.encode());
        JsonObject e2e = feed.getJsonObject("latencyMs").getJsonObject("end_to_end");
        assertTrue(
                e2e.getDouble("p50") > 0
                        && e2e.getDouble("p50") <= e2e.getDouble("p99")
                        && e2e.getDouble("p99") <= e2e.getDouble("p999"),
                e2e.encode());
        for (String stage : List.of("intake_queue", "risk", "settlement_queue", "commit")) {
            assertNotNull(feed.getJsonObject("latencyMs").getJsonObject(stage), stage);
        }
        boolean secondWithLatency = false;
        for (Object o : feed.getJsonArray("series")) {
            JsonArray q = ((JsonObject) o).getJsonObject("latencyMs").getJsonArray("end_to_end");
            if (q != null && q.getDouble(1) > 0) secondWithLatency = true;
        }
        assertTrue(secondWithLatency, "per-second end-to-end quantiles");
        assertTrue(feed.getJsonObject("settlementBatch").getInteger("max") >= 1);

        // Queues against capacity, the database and its breaker.
        JsonObject queues = feed.getJsonObject("queues");
        assertEquals(
                8192 * app.config().riskShards(),
                queues.getJsonObject("intake").getInteger("capacity"),
                "one queue per risk shard");
        assertEquals(8192, queues.getJsonObject("inFlight").getInteger("limit"));
        assertEquals(
                app.config().settlementWriters(),
                queues.getJsonArray("settlement").size());
        JsonObject database = feed.getJsonObject("database");
        assertTrue(database.getBoolean("up"));
        assertEquals("CLOSED", database.getString("breaker"));
        assertTrue(
                feed.getJsonArray("alerts").isEmpty(),
                "a quiet pipeline raises no alert: " + feed.getJsonArray("alerts"));

        // Risk: the reasons of the last minute and the decline itself, with its reasons and masked card only.
        JsonObject risk = feed.getJsonObject("risk");
        assertEquals(1, risk.getInteger("ruleSetVersion"));
        assertTrue(risk.getJsonArray("topReasons").encode().contains("\"code\":\"AMOUNT_LIMIT\""), risk.encode());
        JsonObject decline = flagged(feed, declined.getString("id"));
        assertEquals("DECLINED", decline.getString("status"));
        assertEquals(1_000_001, decline.getLong("amount"));
        assertEquals(declinedPan.substring(0, 6) + "******" + declinedPan.substring(12), decline.getString("card"));
        JsonObject reason = decline.getJsonArray("reasons").getJsonObject(0);
        assertEquals("AMOUNT_LIMIT", reason.getString("code"));
        assertTrue(reason.getString("message").contains("1000000"), reason.getString("message"));

        // A poll with ?since= gets only the seconds after it.
        JsonArray series = feed.getJsonArray("series");
        long last = series.getJsonObject(series.size() - 1).getLong("t");
        for (Object o : feed("?since=" + last).getJsonArray("series")) assertTrue(((JsonObject) o).getLong("t") > last);

        String page = app.client().get("/console", Map.of()).body()
                + app.client().get("/console/console.js", Map.of()).body();
        String everything = feed.encode() + page;
        for (String pan : pans) assertFalse(everything.contains(pan), "a full card number in the console");
        assertFalse(everything.contains(TestProcessor.ADMIN_KEY), "the admin key is never echoed");
    }

    private JsonObject feed(String query) {
        H2Client.Response r = app.client().get("/admin/console/feed" + (query == null ? "" : query), ADMIN);
        assertEquals(200, r.status(), r.body());
        return r.json();
    }

    private JsonObject awaitFeed(Predicate<JsonObject> done) throws InterruptedException {
        JsonObject f = null;
        for (int i = 0; i < 60; i++) {
            f = feed(null);
            if (done.test(f)) return f;
            Thread.sleep(250);
        }
        fail("the feed did not show the traffic: " + f.encode());
        return null;
    }

    /** The per-second rates of an outcome, added over the series. */
    static double sum(JsonArray series, String outcome) {
        double n = 0;
        for (Object o : series) n += ((JsonObject) o).getJsonObject("decisions").getDouble(outcome);
        return n;
    }

    private static double errors(JsonArray series, String status) {
        double n = 0;
        for (Object o : series) n += ((JsonObject) o).getJsonObject("errors").getDouble(status, 0.0);
        return n;
    }

    private static JsonObject flagged(JsonObject feed, String paymentId) {
        for (Object o : feed.getJsonObject("risk").getJsonArray("flagged")) {
            if (((JsonObject) o).getString("id").equals(paymentId)) return (JsonObject) o;
        }
        return null;
    }
}
