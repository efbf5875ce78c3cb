package dev.payproc.app.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.payproc.testkit.Await;
import dev.payproc.testkit.Bodies;
import dev.payproc.testkit.H2Client;
import dev.payproc.webhooks.WebhookSignature;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/**
 * Delivery to a real receiver: through failures and timeouts every event arrives in feed order, signed, with one id
 * per event and the feed's own bytes; parking after the last attempt and a re-send; the event-type filter.
 */
class WebhookDeliveryIT extends ProcessorIT {
    static final int TIMEOUT_MS = 400;
    static final int MAX_ATTEMPTS = 8;

    @Override
    protected Map<String, String> env() {
        return Map.of(
                "WEBHOOK_TIMEOUT_MS",
                Integer.toString(TIMEOUT_MS),
                "WEBHOOK_BACKOFF_BASE_MS",
                "20",
                "WEBHOOK_BACKOFF_CAP_MS",
                "100",
                "WEBHOOK_MAX_ATTEMPTS",
                Integer.toString(MAX_ATTEMPTS));
    }

    /** Registers an endpoint for the test merchant; its JSON, with the secret. */
    static JsonObject register(TestProcessor p, String url, String... types) {
        JsonObject body = new JsonObject()
                .put("merchantId", TestProcessor.MERCHANT)
                .put("url", url)
                .put("eventTypes", new JsonArray(List.of((Object[]) types)));
        H2Client.Response r = p.admin(HttpMethod.POST, "/admin/webhooks", body.encode());
        assertEquals(201, r.status(), r.body());
        return r.json();
    }

    static JsonObject endpoint(TestProcessor p, String id) {
        H2Client.Response r = p.admin(HttpMethod.GET, "/admin/webhooks/" + id, null);
        assertEquals(200, r.status(), r.body());
        return r.json();
    }

    static String authorize(TestProcessor p, boolean manual) {
        JsonObject b = Bodies.valid(Bodies.freshPan()).put("terminalId", "tw-" + UUID.randomUUID());
        if (manual) b.put("capture", "MANUAL");
        H2Client.Response r = p.authorize("wh-" + UUID.randomUUID(), b.encode());
        assertEquals(201, r.status(), r.body());
        return r.json().getString("id");
    }

    static void operate(TestProcessor p, String paymentId, String op) {
        H2Client.Response r = p.client()
                .send(
                        HttpMethod.POST,
                        "/v1/payments/" + paymentId + "/" + op,
                        TestProcessor.headers(TestProcessor.API_KEY, "op-" + UUID.randomUUID()),
                        "");
        assertEquals(200, r.status(), r.body());
    }

    /** Authorizations (one auto, three manual), a capture and a void: six events. */
    static void sixEvents(TestProcessor p) {
        authorize(p, false);
        String a = authorize(p, true);
        String b = authorize(p, true);
        authorize(p, true);
        operate(p, a, "capture");
        operate(p, b, "void");
    }

    static long head(TestProcessor p) {
        return p.client()
                .get("/v1/events", TestProcessor.headers(TestProcessor.API_KEY, null))
                .json()
                .getLong("head");
    }

    /** The feed's page after {@code after}: its body, and its events by sequence. */
    static Map<Long, JsonObject> feed(TestProcessor p, long after, StringBuilder body) {
        H2Client.Response r = p.client()
                .get("/v1/events?after=" + after + "&limit=1000", TestProcessor.headers(TestProcessor.API_KEY, null));
        assertEquals(200, r.status(), r.body());
        body.append(r.body());
        Map<Long, JsonObject> bySeq = new HashMap<>();
        for (Object o : r.json().getJsonArray("events")) {
            JsonObject e = (JsonObject) o;
            bySeq.put(e.getLong("seq"), e);
        }
        return bySeq;
    }

    static void awaitCaughtUp(TestProcessor p, String id) {
        Await.until(
                () -> {
                    JsonObject e = endpoint(p, id);
                    return e.getLong("backlog") == 0 && e.getInteger("attempts") == 0;
                },
                30,
                "endpoint " + id + " delivers up to the head");
    }

    /** Every request signed with the secret, at its arrival time, within the default tolerance. */
    static void assertSigned(List<WebhookReceiver.Received> received, String secret) {
        for (WebhookReceiver.Received r : received) {
            assertTrue(
                    WebhookSignature.verify(
                            secret, r.signature(), r.body(), r.at(), WebhookSignature.DEFAULT_TOLERANCE),
                    "request " + r.index() + " verifies");
            assertFalse(
                    WebhookSignature.verify(
                            secret + "x", r.signature(), r.body(), r.at(), WebhookSignature.DEFAULT_TOLERANCE),
                    "and not with another secret");
        }
    }

    /** Requests of one event share its id and its body; different events have different ids. */
    static void assertOneIdAndBodyPerEvent(List<WebhookReceiver.Received> received) {
        Map<Long, Set<String>> ids = new HashMap<>();
        Map<Long, Set<String>> bodies = new HashMap<>();
        for (WebhookReceiver.Received r : received) {
            ids.computeIfAbsent(r.seq(), s -> new HashSet<>()).add(r.eventId());
            bodies.computeIfAbsent(r.seq(), s -> new HashSet<>()).add(r.body());
        }
        ids.forEach((seq, set) -> assertEquals(1, set.size(), "one id for event " + seq + ": " + set));
        bodies.forEach((seq, set) -> assertEquals(1, set.size(), "one body for event " + seq));
        Set<String> all = ids.values().stream().flatMap(Set::stream).collect(Collectors.toSet());
        assertEquals(ids.size(), all.size(), "each event its own id");
    }

    @Test
    void throughFailuresAndTimeoutsEveryEventArrivesInOrderSignedOnceAcceptedWithTheFeedsBytes() {
        try (WebhookReceiver receiver = new WebhookReceiver()) {
            int failing = 3;
            int slow = 2;
            receiver.answer(i -> i < failing
                    ? WebhookReceiver.Answer.now(500)
                    : i < failing + slow
                            ? new WebhookReceiver.Answer(200, TIMEOUT_MS * 3L)
                            : WebhookReceiver.Answer.now(200));
            JsonObject registered = register(app, receiver.url());
            String id = registered.getString("id");
            String secret = registered.getString("secret");
            long start = registered.getLong("deliveredSeq");
            assertEquals(head(app), start, "a new endpoint starts at the merchant's head");

            sixEvents(app);
            long end = head(app);
            assertEquals(start + 6, end);
            awaitCaughtUp(app, id);

            List<WebhookReceiver.Received> all = receiver.received();
            List<Long> accepted = receiver.accepted().stream()
                    .map(WebhookReceiver.Received::seq)
                    .toList();
            assertEquals(
                    LongStream.rangeClosed(start + 1, end).boxed().toList(),
                    accepted,
                    "each event accepted once, in feed order, none skipped");
            for (int i = 1; i < all.size(); i++) {
                assertTrue(all.get(i).seq() >= all.get(i - 1).seq(), "the next event waits for the one before it");
            }
            // The first event was tried through three 500s and two timeouts: six attempts, numbered 1..6.
            List<WebhookReceiver.Received> first =
                    all.stream().filter(r -> r.seq() == start + 1).toList();
            assertEquals(failing + slow + 1, first.size());
            for (int i = 0; i < first.size(); i++)
                assertEquals(i + 1, first.get(i).attempt());
            assertSigned(all, secret);
            assertOneIdAndBodyPerEvent(all);

            StringBuilder page = new StringBuilder();
            Map<Long, JsonObject> events = feed(app, start, page);
            for (WebhookReceiver.Received r : all) {
                assertEquals("application/json", r.contentType());
                assertTrue(page.toString().contains(r.body()), "the body is the feed's rendering, byte for byte");
                assertEquals(events.get(r.seq()), new JsonObject(r.body()));
                assertTrue(r.eventId().startsWith("evt_"), r.eventId());
            }

            JsonArray deliveries = app.admin(HttpMethod.GET, "/admin/webhooks/" + id + "/deliveries?limit=500", null)
                    .json()
                    .getJsonArray("deliveries");
            Map<String, Long> outcomes = new HashMap<>();
            for (Object o : deliveries) {
                outcomes.merge(((JsonObject) o).getString("outcome"), 1L, Long::sum);
            }
            assertEquals(Map.of("failed", 3L, "timeout", 2L, "delivered", 6L), outcomes, deliveries.encode());
            JsonObject newest = deliveries.getJsonObject(0);
            assertEquals(end, newest.getLong("seq"), "newest first");
            JsonObject firstFailure = deliveries.getJsonObject(deliveries.size() - 1);
            assertEquals(500, firstFailure.getInteger("httpStatus"));
            assertEquals(1, firstFailure.getInteger("attempt"));
            app.admin(HttpMethod.DELETE, "/admin/webhooks/" + id, null);
        }
    }

    @Test
    void anEventFailingEveryAttemptIsParkedTheNextGoesOnAndAReSendDeliversItOnceMore() {
        try (WebhookReceiver receiver = new WebhookReceiver()) {
            receiver.answer(i -> WebhookReceiver.Answer.now(503));
            JsonObject registered = register(app, receiver.url());
            String id = registered.getString("id");
            long start = registered.getLong("deliveredSeq");
            authorize(app, false);
            authorize(app, false);
            awaitCaughtUp(app, id);

            JsonObject parked = endpoint(app, id);
            assertEquals(2, parked.getLong("parked"));
            assertEquals(start + 2, parked.getLong("deliveredSeq"), "the cursor moved on past both");
            List<WebhookReceiver.Received> tried = receiver.received();
            assertEquals(2 * MAX_ATTEMPTS, tried.size());
            assertEquals(
                    MAX_ATTEMPTS,
                    tried.stream().filter(r -> r.seq() == start + 1).count());
            assertTrue(tried.get(MAX_ATTEMPTS - 1).seq() == start + 1
                    && tried.get(MAX_ATTEMPTS).seq() == start + 2);
            JsonArray deliveries = app.admin(HttpMethod.GET, "/admin/webhooks/" + id + "/deliveries", null)
                    .json()
                    .getJsonArray("deliveries");
            assertEquals("parked", deliveries.getJsonObject(0).getString("outcome"));
            assertEquals(MAX_ATTEMPTS, deliveries.getJsonObject(0).getInteger("attempt"));
            assertEquals(503, deliveries.getJsonObject(0).getInteger("httpStatus"));

            receiver.answer(i -> WebhookReceiver.Answer.now(200));
            H2Client.Response resend = app.admin(
                    HttpMethod.POST, "/admin/webhooks/" + id + "/deliveries/" + (start + 1) + "/resend", null);
            assertEquals(202, resend.status(), resend.body());
            Await.until(() -> endpoint(app, id).getLong("parked") == 1, 30, "the re-sent event is no longer parked");
            WebhookReceiver.Received again = receiver.received().get(2 * MAX_ATTEMPTS);
            assertEquals(start + 1, again.seq());
            assertTrue(again.resend(), "marked as a re-send");
            assertEquals(MAX_ATTEMPTS + 1, again.attempt());
            assertEquals(tried.get(0).eventId(), again.eventId(), "the same event id");
            assertEquals(tried.get(0).body(), again.body());
            assertSigned(receiver.received(), registered.getString("secret"));
            assertEquals(start + 2, endpoint(app, id).getLong("deliveredSeq"), "a re-send leaves the cursor");
            JsonObject latest = app.admin(HttpMethod.GET, "/admin/webhooks/" + id + "/deliveries?limit=1", null)
                    .json()
                    .getJsonArray("deliveries")
                    .getJsonObject(0);
            assertEquals("resent", latest.getString("outcome"));
            assertTrue(latest.getBoolean("resend"));

            H2Client.Response twice = app.admin(
                    HttpMethod.POST, "/admin/webhooks/" + id + "/deliveries/" + (start + 1) + "/resend", null);
            assertEquals(409, twice.status(), "re-sent: no longer parked");
            assertEquals("invalid_state", twice.json().getString("error"));
            app.admin(HttpMethod.DELETE, "/admin/webhooks/" + id, null);
        }
    }

    @Test
    void anEndpointGetsOnlyTheTypesItSubscribedToAndStepsOverTheRest() {
        try (WebhookReceiver receiver = new WebhookReceiver()) {
            JsonObject registered = register(app, receiver.url(), "VOID", "CAPTURE");
            String id = registered.getString("id");
            assertEquals(
                    List.of("CAPTURE", "VOID"),
                    registered.getJsonArray("eventTypes").getList());
            long start = registered.getLong("deliveredSeq");
            sixEvents(app);
            authorize(app, false); // after the last subscribed event: stepped over too
            long end = head(app);
            awaitCaughtUp(app, id);
            List<WebhookReceiver.Received> got = receiver.received();
            StringBuilder page = new StringBuilder();
            Map<Long, JsonObject> events = feed(app, start, page);
            List<String> types = new ArrayList<>();
            for (WebhookReceiver.Received r : got) types.add(events.get(r.seq()).getString("type"));
            assertEquals(List.of("CAPTURE", "VOID"), types);
            assertEquals(end, endpoint(app, id).getLong("deliveredSeq"));
            app.admin(HttpMethod.DELETE, "/admin/webhooks/" + id, null);
        }
    }

    @Test
    void aReplayDeliversAgainFromTheSequenceWithTheSameIds() {
        try (WebhookReceiver receiver = new WebhookReceiver()) {
            JsonObject registered = register(app, receiver.url());
            String id = registered.getString("id");
            long start = registered.getLong("deliveredSeq");
            authorize(app, false);
            authorize(app, false);
            authorize(app, false);
            awaitCaughtUp(app, id);
            List<WebhookReceiver.Received> first = receiver.received();
            assertEquals(3, first.size());

            H2Client.Response replay = app.client()
                    .send(
                            HttpMethod.POST,
                            "/v1/webhooks/" + id + "/replay",
                            TestProcessor.headers(TestProcessor.API_KEY, null),
                            "{\"after\":" + (start + 1) + "}");
            assertEquals(200, replay.status(), replay.body());
            Await.until(() -> receiver.received().size() == 5, 30, "events after the replay's sequence again");
            awaitCaughtUp(app, id);
            List<WebhookReceiver.Received> again = receiver.received().subList(3, 5);
            assertEquals(
                    List.of(start + 2, start + 3),
                    again.stream().map(WebhookReceiver.Received::seq).toList());
            assertEquals(first.get(1).eventId(), again.get(0).eventId());
            assertEquals(first.get(2).body(), again.get(1).body());
            assertNotEquals(first.get(1).eventId(), first.get(2).eventId());
            app.admin(HttpMethod.DELETE, "/admin/webhooks/" + id, null);
        }
    }

    /** A sample's value in a scrape; -1 when absent. */
    static double sample(String scrape, String series) {
        for (String line : scrape.split("\n")) {
            if (line.startsWith(series + " ")) return Double.parseDouble(line.substring(series.length() + 1));
        }
        return -1;
    }

    @Test
    void twoProcessesOnOneDatabaseNeverDeliverOneEndpointAtOnce() {
        try (WebhookReceiver receiver = new WebhookReceiver();
                TestProcessor second = new TestProcessor(db.settings(), env())) {
            receiver.answer(i -> new WebhookReceiver.Answer(200, 40)); // slow enough for an overlap to show
            JsonObject registered = register(app, receiver.url());
            String id = registered.getString("id");
            long start = registered.getLong("deliveredSeq");
            for (int i = 0; i < 16; i++) authorize(i % 2 == 0 ? app : second, false);
            awaitCaughtUp(app, id);
            assertEquals(1, receiver.mostOpen(), "one delivery of the endpoint at a time across both processes");
            assertEquals(
                    LongStream.rangeClosed(start + 1, start + 16).boxed().toList(),
                    receiver.received().stream()
                            .map(WebhookReceiver.Received::seq)
                            .toList(),
                    "each event once, in feed order");
            app.admin(HttpMethod.DELETE, "/admin/webhooks/" + id, null);
        }
    }

    @Test
    void metricsAndTheConsoleShowTheBacklogWhileAnEndpointIsBehindAndTheDeliveriesByOutcome() {
        try (WebhookReceiver receiver = new WebhookReceiver()) {
            // Thirty events replayed to a receiver taking 150 ms each: seconds behind, so the periodic figures see it.
            receiver.answer(i -> new WebhookReceiver.Answer(200, 150));
            for (int i = 0; i < 30; i++) authorize(app, false);
            JsonObject registered = register(app, receiver.url());
            String id = registered.getString("id");
            double delivered = sample(
                    app.client().get("/metrics", Map.of()).body(),
                    "payproc_webhook_deliveries_total{outcome=\"delivered\"}");
            H2Client.Response replay = app.admin(
                    HttpMethod.POST,
                    "/admin/webhooks/" + id + "/replay",
                    "{\"after\":" + (registered.getLong("deliveredSeq") - 30) + "}");
            assertEquals(200, replay.status(), replay.body());
            Await.until(
                    () -> {
                        String m = app.client().get("/metrics", Map.of()).body();
                        return sample(m, "payproc_webhook_backlog_events") >= 2
                                && sample(m, "payproc_webhook_endpoints_behind") >= 1;
                    },
                    30,
                    "the backlog in /metrics");
            JsonObject console = app.admin(HttpMethod.GET, "/admin/console/feed", null)
                    .json()
                    .getJsonObject("webhooks");
            assertTrue(console.getLong("backlog") >= 1, console.encode());
            assertTrue(console.getLong("endpointsBehind") >= 1, console.encode());
            assertTrue(console.containsKey("parked") && console.containsKey("inFlight"), console.encode());

            awaitCaughtUp(app, id);
            Await.until(
                    () -> sample(
                                    app.client().get("/metrics", Map.of()).body(),
                                    "payproc_webhook_deliveries_total{outcome=\"delivered\"}")
                            >= delivered + 30,
                    30,
                    "thirty more deliveries counted");
            app.admin(HttpMethod.DELETE, "/admin/webhooks/" + id, null);
            Await.until(
                    () -> sample(app.client().get("/metrics", Map.of()).body(), "payproc_webhook_backlog_events") == 0,
                    30,
                    "no backlog once caught up and disabled");
        }
    }
}
