package dev.payproc.app.it;

import static dev.payproc.testkit.Asserts.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.payproc.testkit.Await;
import dev.payproc.testkit.Bodies;
import dev.payproc.testkit.H2Client;
import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * {@code GET /v1/events}: each merchant's events numbered 1, 2, 3... without a gap, through both writers, the batch
 * endpoint, captures, voids and refunds, and two processes on one database; pages read again byte for byte; bad
 * queries refused; a merchant sees only its own; long polls answer at a commit, or after their wait.
 */
class FeedIT extends ProcessorIT {
    private static Map<String, String> key(String apiKey) {
        return TestProcessor.headers(apiKey, null);
    }

    private static H2Client.Response events(TestProcessor p, String apiKey, String query) {
        return p.client().get("/v1/events" + query, key(apiKey));
    }

    private static JsonObject body(String terminal) {
        return Bodies.valid(Bodies.freshPan()).put("terminalId", terminal);
    }

    /** Authorizes on {@code p}: a MANUAL one when asked, so it can be captured, voided or refunded later. */
    private static Future<H2Client.Response> authorize(TestProcessor p, String terminal, boolean manual) {
        JsonObject b = body(terminal).put("amount", 5000);
        if (manual) b.put("capture", "MANUAL");
        return p.client()
                .sendAsync(
                        HttpMethod.POST,
                        "/v1/authorizations",
                        TestProcessor.headers(TestProcessor.API_KEY, "a-" + UUID.randomUUID()),
                        b.encode());
    }

    private static Future<H2Client.Response> batch(TestProcessor p, int items) {
        JsonArray list = new JsonArray();
        for (int i = 0; i < items; i++) {
            list.add(body("tb-" + UUID.randomUUID()).put("idempotencyKey", "b-" + UUID.randomUUID()));
        }
        return p.client()
                .sendAsync(
                        HttpMethod.POST,
                        "/v1/authorizations/batch",
                        TestProcessor.headers(TestProcessor.API_KEY, null),
                        new JsonObject().put("items", list).encode());
    }

    private static Future<H2Client.Response> op(TestProcessor p, String id, String op, String body) {
        return p.client()
                .sendAsync(
                        HttpMethod.POST,
                        "/v1/payments/" + id + "/" + op,
                        TestProcessor.headers(TestProcessor.API_KEY, "op-" + UUID.randomUUID()),
                        body);
    }

    /** Every event of the merchant's feed from {@code after} on, page by page; each page's body kept in {@code bodies}. */
    private static List<JsonObject> readAll(
            TestProcessor p, String apiKey, long after, int limit, List<String> bodies) {
        List<JsonObject> all = new ArrayList<>();
        while (true) {
            H2Client.Response r = events(p, apiKey, "?after=" + after + "&limit=" + limit);
            assertEquals(200, r.status(), r.body());
            if (bodies != null) bodies.add(r.body());
            JsonObject page = r.json();
            JsonArray events = page.getJsonArray("events");
            for (int i = 0; i < events.size(); i++) {
                JsonObject e = events.getJsonObject(i);
                assertEquals(
                        after + 1, e.getLong("seq"), "each page goes on from the cursor without a gap: " + r.body());
                after = e.getLong("seq");
                all.add(e);
            }
            assertEquals(after, page.getLong("next"));
            if (!page.getBoolean("more")) return all;
        }
    }

    @Test
    void sequencesRunWithoutAGapUnderLoadThroughBothWritersTheBatchEndpointLifecycleAndTwoProcesses() throws Exception {
        long before = events(app, TestProcessor.API_KEY, "").json().getLong("head");
        try (TestProcessor second = new TestProcessor(db.settings())) {
            // Manual authorizations to capture, void and refund while the load runs.
            List<String> manual = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                H2Client.Response r =
                        Await.result(authorize(i % 2 == 0 ? app : second, "tm-" + UUID.randomUUID(), true));
                assertEquals(201, r.status(), r.body());
                manual.add(r.json().getString("id"));
            }
            // A reader following the feed while it grows: every page it sees goes on from its cursor.
            AtomicBoolean loading = new AtomicBoolean(true);
            List<JsonObject> followed = new ArrayList<>();
            Thread reader = new Thread(() -> {
                long after = before;
                while (loading.get()
                        || after < events(app, TestProcessor.API_KEY, "").json().getLong("head")) {
                    List<JsonObject> page = readAll(second, TestProcessor.API_KEY, after, 7, null);
                    followed.addAll(page);
                    if (!page.isEmpty()) after = page.get(page.size() - 1).getLong("seq");
                    else Await.sleep(20);
                }
            });
            reader.start();
            List<Future<H2Client.Response>> sent = new ArrayList<>();
            for (int round = 0; round < 10; round++) {
                for (TestProcessor p : List.of(app, second)) {
                    for (int i = 0; i < 15; i++) sent.add(authorize(p, "tl-" + UUID.randomUUID(), false));
                    sent.add(batch(p, 10));
                }
                String id = manual.get(round);
                TestProcessor p = round % 2 == 0 ? second : app; // the other process than the one that authorized
                if (round % 3 == 0) sent.add(op(p, id, "void", null));
                else
                    sent.add(op(p, id, "capture", "{\"amount\":3000}")
                            .compose(c -> op(p, id, "refunds", "{\"amount\":1000}")));
            }
            for (Future<H2Client.Response> f : sent) {
                H2Client.Response r = Await.result(f);
                assertTrue(r.status() == 200 || r.status() == 201, r.status() + " " + r.body());
            }
            loading.set(false);
            reader.join(30_000);

            long events =
                    db.count("SELECT count(*) FROM payment_events WHERE merchant_id = $1", TestProcessor.MERCHANT);
            List<String> bodies = new ArrayList<>();
            List<JsonObject> all = readAll(app, TestProcessor.API_KEY, 0, 1000, bodies);
            assertEquals(events, all.size(), "every event is in the feed, once");
            assertEquals(events, all.get(all.size() - 1).getLong("seq"), "numbered 1 to n");
            assertTrue(events - before >= 10 * 2 * 25 + 12 + 6 * 2 + 4, "the load's events: " + (events - before));
            assertEquals(all.subList((int) before, all.size()), followed, "the follower saw every event, in order");
            List<String> again = new ArrayList<>();
            readAll(second, TestProcessor.API_KEY, 0, 1000, again);
            assertEquals(bodies, again, "replayed byte for byte, by the other process too");
            assertTrue(
                    db.count("SELECT count(DISTINCT seal_chain) FROM payment_events WHERE feed_seq > $1", before) >= 4,
                    "both writers of both processes wrote");
            assertEquals(
                    200, app.admin(HttpMethod.GET, "/admin/audit/verify", null).status());
        }
    }

    @Test
    void anEventCarriesItsTypePaymentAmountsStatusReasonsAndTime() {
        H2Client.Response declined = Await.result(app.client()
                .sendAsync(
                        HttpMethod.POST,
                        "/v1/authorizations",
                        TestProcessor.headers(TestProcessor.API_KEY, "d-" + UUID.randomUUID()),
                        body("td-" + UUID.randomUUID()).put("amount", 1_500_000).encode()));
        assertEquals("DECLINED", declined.json().getString("status"), declined.body());
        long head = events(app, TestProcessor.API_KEY, "").json().getLong("head");
        JsonObject e = events(app, TestProcessor.API_KEY, "?after=" + (head - 1))
                .json()
                .getJsonArray("events")
                .getJsonObject(0);
        assertEquals(head, e.getLong("seq"));
        assertEquals("AUTHORIZATION", e.getString("type"));
        assertEquals(declined.json().getString("id"), e.getString("paymentId"));
        assertEquals(1, e.getInteger("eventSeq"));
        assertEquals("DECLINED", e.getString("status"));
        assertEquals(1_500_000, e.getLong("amount"));
        assertEquals(1_500_000, e.getLong("paymentAmount"));
        assertEquals("EUR", e.getString("currency"));
        assertEquals(2, e.getInteger("exponent"));
        assertEquals("15000.00", e.getJsonObject("decimal").getString("amount"));
        assertEquals(declined.json().getJsonArray("reasons"), e.getJsonArray("reasons"));
        assertEquals(declined.json().getString("createdAt"), e.getString("createdAt"));
    }

    @Test
    void badQueriesAndKeysAreRefusedInTheContractsErrorShape() {
        for (String[] q : new String[][] {
            {"?after=abc", "after"},
            {"?after=-1", "after"},
            {"?after=1.5", "after"},
            {"?after=99999999999999999999", "after"},
            {"?limit=0", "limit"},
            {"?limit=1001", "limit"},
            {"?limit=", "limit"},
            {"?wait=31", "wait"},
            {"?wait=-1", "wait"},
            {"?after=1&after=2", "after"}
        }) {
            assertError(events(app, TestProcessor.API_KEY, q[0]), 400, "invalid_request", q[1]);
        }
        assertError(app.client().get("/v1/events", Map.of()), 401, "unauthenticated", null);
        assertError(events(app, "sk_wrong_" + UUID.randomUUID(), ""), 401, "unauthenticated", null);
        H2Client.Response beyond = events(app, TestProcessor.API_KEY, "?after=1000000000&wait=5");
        assertEquals(200, beyond.status(), beyond.body());
        assertEquals(0, beyond.json().getJsonArray("events").size());
        assertEquals(1000000000, beyond.json().getLong("next"));
        assertTrue(beyond.json().getLong("head") < 1000000000, "the head, to tell the cursor is beyond it");
    }

    @Test
    void aMerchantSeesOnlyItsOwnEvents() {
        String other = app.otherMerchantKey();
        H2Client.Response theirs = Await.result(app.client()
                .sendAsync(
                        HttpMethod.POST,
                        "/v1/authorizations",
                        TestProcessor.headers(other, "o-" + UUID.randomUUID()),
                        body("to-" + UUID.randomUUID())
                                .put("merchantId", TestProcessor.OTHER_MERCHANT)
                                .encode()));
        assertEquals(201, theirs.status(), theirs.body());
        Await.result(authorize(app, "tx-" + UUID.randomUUID(), false));
        List<JsonObject> otherFeed = readAll(app, other, 0, 1000, null);
        assertTrue(otherFeed.stream()
                .anyMatch(e -> e.getString("paymentId").equals(theirs.json().getString("id"))));
        for (JsonObject e : otherFeed) {
            assertEquals(
                    1,
                    db.count(
                            "SELECT count(*) FROM payments WHERE id = $1 AND merchant_id = $2",
                            e.getString("paymentId"),
                            TestProcessor.OTHER_MERCHANT));
        }
        for (JsonObject e : readAll(app, TestProcessor.API_KEY, 0, 1000, null)) {
            assertTrue(!e.getString("paymentId").equals(theirs.json().getString("id")), "not in another's feed");
        }
    }

    @Test
    void aLongPollAnswersAsSoonAsAnEventCommitsInThisProcessOrAnother() {
        try (TestProcessor second = new TestProcessor(db.settings())) {
            for (TestProcessor writer : List.of(app, second)) {
                long head = events(app, TestProcessor.API_KEY, "").json().getLong("head");
                long start = System.nanoTime();
                Future<H2Client.Response> waiting = app.client()
                        .sendAsync(
                                HttpMethod.GET, "/v1/events?wait=20&after=" + head, key(TestProcessor.API_KEY), null);
                Await.sleep(300);
                assertTrue(!waiting.isComplete(), "it waits");
                H2Client.Response paid = Await.result(authorize(writer, "tw-" + UUID.randomUUID(), false));
                H2Client.Response woken = Await.result(waiting);
                double seconds = (System.nanoTime() - start) / 1e9;
                assertEquals(200, woken.status(), woken.body());
                JsonArray events = woken.json().getJsonArray("events");
                assertEquals(1, events.size(), woken.body());
                assertEquals(
                        paid.json().getString("id"), events.getJsonObject(0).getString("paymentId"));
                assertEquals(head + 1, events.getJsonObject(0).getLong("seq"));
                // In this process a writer's commit wakes it; another's is found within the recheck interval.
                assertTrue(seconds < (writer == app ? 1.5 : 2.5), writer == app ? "in process" : "across: " + seconds);
            }
            long head = events(app, TestProcessor.API_KEY, "").json().getLong("head");
            long start = System.nanoTime();
            H2Client.Response quiet = events(app, TestProcessor.API_KEY, "?wait=1&after=" + head);
            double seconds = (System.nanoTime() - start) / 1e9;
            assertEquals(200, quiet.status(), quiet.body());
            assertEquals(0, quiet.json().getJsonArray("events").size());
            assertEquals(head, quiet.json().getLong("head"));
            assertTrue(seconds >= 0.95 && seconds < 3, "answered empty after its wait: " + seconds);
        }
    }

    /**
     * Starts a long poll of 20 s after the head, runs {@code step} once it is waiting, and answers the one event it
     * returned and how many seconds that took.
     */
    private JsonObject wokenBy(Runnable step, double withinSeconds, String what) {
        long head = events(app, TestProcessor.API_KEY, "").json().getLong("head");
        long start = System.nanoTime();
        Future<H2Client.Response> waiting = app.client()
                .sendAsync(HttpMethod.GET, "/v1/events?wait=20&after=" + head, key(TestProcessor.API_KEY), null);
        Await.sleep(300);
        assertTrue(!waiting.isComplete(), "it waits");
        step.run();
        H2Client.Response woken = Await.result(waiting);
        double seconds = (System.nanoTime() - start) / 1e9;
        assertEquals(200, woken.status(), woken.body());
        JsonArray events = woken.json().getJsonArray("events");
        assertEquals(1, events.size(), woken.body());
        assertEquals(head + 1, events.getJsonObject(0).getLong("seq"));
        assertTrue(seconds < withinSeconds, what + " woke the poll of 20 s only after " + seconds + " s");
        return events.getJsonObject(0);
    }

    @Test
    void aDisputeStepWakesTheMerchantsLongPollLongBeforeItsWaitEnds() {
        try (TestProcessor second = new TestProcessor(db.settings())) {
            DisputeCalls here = new DisputeCalls(app), there = new DisputeCalls(second);
            String sale = here.authorize(body("td-" + UUID.randomUUID()).put("amount", 3_000));
            String[] dispute = new String[1];
            // An admin step in this process: its answer wakes the waiting reader at once.
            JsonObject opened = wokenBy(() -> dispute[0] = here.opened(sale, 2_000), 1.5, "an opening here");
            assertEquals("DISPUTE_OPENED", opened.getString("type"), opened.encode());
            assertEquals(sale, opened.getString("paymentId"));
            assertEquals(2_000, opened.getLong("amount"));
            // A merchant's step in this process.
            JsonObject evidence = wokenBy(
                    () -> assertEquals(
                            200,
                            here.evidence(dispute[0], "tracking shows delivery").status()),
                    1.5,
                    "evidence here");
            assertEquals("DISPUTE_EVIDENCE", evidence.getString("type"), evidence.encode());
            // A step of another process on the same database is found within the feed's recheck interval.
            JsonObject won = wokenBy(
                    () -> assertEquals(200, there.outcome(dispute[0], "won").status()), 2.5, "an outcome there");
            assertEquals("DISPUTE_WON", won.getString("type"), won.encode());
            String other = here.authorize(body("td-" + UUID.randomUUID()).put("amount", 1_000));
            JsonObject openedThere = wokenBy(() -> there.opened(other, 1_000), 2.5, "an opening there");
            assertEquals("DISPUTE_OPENED", openedThere.getString("type"), openedThere.encode());
            assertEquals(other, openedThere.getString("paymentId"));
        }
    }

    @Test
    void aStoppingProcessorAnswersItsLongPollsAtOnceInsteadOfCuttingThem() {
        TestProcessor stopping = new TestProcessor(db.settings());
        try {
            long head = events(stopping, TestProcessor.API_KEY, "").json().getLong("head");
            Future<H2Client.Response> waiting = stopping.client()
                    .sendAsync(HttpMethod.GET, "/v1/events?wait=30&after=" + head, key(TestProcessor.API_KEY), null);
            Await.sleep(300);
            assertTrue(!waiting.isComplete(), "it waits");
            // The listeners close a second after the drain: a poll still waiting then would be cut, not answered.
            Future<Void> stopped = stopping.processor().stop(10_000);
            H2Client.Response answered = Await.result(waiting);
            assertEquals(200, answered.status(), answered.body());
            assertEquals(0, answered.json().getJsonArray("events").size(), answered.body());
            assertEquals(head, answered.json().getLong("head"));
            Await.result(stopped);
        } finally {
            stopping.client().close();
        }
    }
}
