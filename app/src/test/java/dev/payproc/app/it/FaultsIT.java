package dev.payproc.app.it;

import static dev.payproc.testkit.Asserts.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.payproc.testkit.Await;
import dev.payproc.testkit.Bodies;
import dev.payproc.testkit.H2Client;
import dev.payproc.testkit.TcpProxy;
import dev.payproc.testkit.TestDatabase;
import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Backpressure and database faults, injected by a TCP proxy between the processor and PostgreSQL: a full
 * pipeline refuses at once with {@code 503 overloaded}; an unreachable database answers {@code 503
 * unavailable} and commits nothing; both recover by themselves.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FaultsIT {
    private TestDatabase db;
    private TcpProxy proxy;
    private TestProcessor app;

    @BeforeAll
    void start() {
        db = new TestDatabase();
        proxy = new TcpProxy(db.settings().host(), db.settings().port());
        // A tiny pipeline: one request in flight at most.
        app = new TestProcessor(TestDatabase.through(db.settings(), proxy), Map.of("MAX_IN_FLIGHT", "1"));
    }

    @AfterAll
    void stop() {
        if (app != null) app.close();
        if (proxy != null) proxy.close();
        if (db != null) db.close();
    }

    @Test
    void aFullPipelineRefusesAtOnceAndRecovers() {
        app.authorize(
                "warm-" + System.nanoTime(), Bodies.valid(Bodies.freshPan()).encode()); // keys cached, connections open
        proxy.hold(); // commits now hang, so the one admitted request stays in flight
        try {
            String admittedKey = "held-" + System.nanoTime();
            Future<H2Client.Response> admitted = app.client()
                    .sendAsync(
                            HttpMethod.POST,
                            "/v1/authorizations",
                            TestProcessor.headers(TestProcessor.API_KEY, admittedKey),
                            Bodies.valid(Bodies.freshPan()).encode());
            waitForInFlight(1);
            long before = System.nanoTime();
            H2Client.Response refused = app.authorize(
                    "refused-" + System.nanoTime(),
                    Bodies.valid(Bodies.freshPan()).encode());
            long tookMillis = (System.nanoTime() - before) / 1_000_000;
            assertError(refused, 503, "overloaded", null);
            assertEquals("1", refused.header("Retry-After"));
            assertTrue(
                    tookMillis < 5_000,
                    "refused at once, not after waiting for the held request: " + tookMillis + " ms");
            // Shed before any work: an unknown key would need a database lookup (held now), a bad body decoding.
            long shedStart = System.nanoTime();
            H2Client.Response unknownKey = app.client()
                    .send(
                            HttpMethod.POST,
                            "/v1/authorizations",
                            TestProcessor.headers("sk_unknown_" + System.nanoTime(), "shed-" + System.nanoTime()),
                            Bodies.valid(Bodies.freshPan()).encode());
            assertError(unknownKey, 503, "overloaded", null);
            assertError(app.authorize("shed-bad-" + System.nanoTime(), "{not json"), 503, "overloaded", null);
            long shedMillis = (System.nanoTime() - shedStart) / 1_000_000;
            assertTrue(shedMillis < 5_000, "no key lookup waited on the held database: " + shedMillis + " ms");
            proxy.release();
            assertEquals(201, Await.result(admitted).status());
        } finally {
            proxy.release();
        }
        assertEquals(
                201,
                app.authorize(
                                "after-" + System.nanoTime(),
                                Bodies.valid(Bodies.freshPan()).encode())
                        .status());
    }

    @Test
    void aSlowDatabaseSlowsAnswersButLosesNothingAndStaysReady() {
        authorizeWhenReady("AUTO");
        proxy.delay(250); // every answer from PostgreSQL arrives 250 ms late: well inside the statement timeout
        List<String> ids = new ArrayList<>();
        try {
            for (int i = 0; i < 5; i++) {
                long start = System.nanoTime();
                H2Client.Response r = app.authorize(
                        "slow-" + i + "-" + System.nanoTime(),
                        Bodies.valid(Bodies.freshPan()).encode());
                long tookMillis = (System.nanoTime() - start) / 1_000_000;
                assertEquals(201, r.status(), r.body());
                assertTrue(tookMillis >= 250, "the delay was in the path: " + tookMillis + " ms");
                ids.add(r.json().getString("id"));
            }
            assertEquals(200, app.client().get("/health/ready", Map.of()).status(), "slow is not down");
            assertTrue(
                    app.client()
                            .get("/metrics", Map.of())
                            .body()
                            .contains("payproc_db_circuit_breaker_state{state=\"CLOSED\"} 1"),
                    "the breaker stays closed");
        } finally {
            proxy.delay(0);
        }
        for (String id : ids) assertEquals(1, db.count("SELECT count(*) FROM payments WHERE id = $1", id));
    }

    @Test
    void anUnreachableDatabaseAnswersUnavailableAndCommitsNothing() {
        app.authorize(
                "warm2-" + System.nanoTime(), Bodies.valid(Bodies.freshPan()).encode());
        String key = "outage-" + System.nanoTime();
        String body = Bodies.valid(Bodies.freshPan()).encode();
        proxy.cut();
        try {
            H2Client.Response r = app.authorize(key, body);
            assertError(r, 503, "unavailable", null);
            assertEquals("1", r.header("Retry-After"));
            List<String> readiness = new ArrayList<>();
            for (int i = 0; i < 50 && !readiness.contains("503"); i++) {
                readiness.add(Integer.toString(
                        app.client().get("/health/ready", Map.of()).status()));
                Await.sleep(100);
            }
            assertTrue(readiness.contains("503"), "readiness must report the outage: " + readiness);
        } finally {
            proxy.restore();
        }
        assertEquals(0, db.count("SELECT count(*) FROM idempotency_keys WHERE idempotency_key = $1", key));
        assertEquals(
                0,
                db.count(
                        "SELECT count(*) FROM idempotency_keys"
                                + " k JOIN payments p ON p.id = k.payment_id WHERE k.idempotency_key = $1",
                        key));

        // Recovers by itself (the circuit breaker half-opens), and the same key then commits once.
        H2Client.Response retried = null;
        for (int i = 0; i < 100; i++) {
            retried = app.authorize(key, body);
            if (retried.status() != 503) break;
            Await.sleep(100);
        }
        assertEquals(201, retried.status(), retried.body());
        assertEquals(1, db.count("SELECT count(*) FROM idempotency_keys WHERE idempotency_key = $1", key));
    }

    @Test
    void aCommitWhoseConnectionIsLostIsLookedUpNotGuessed() {
        authorizeWhenReady("AUTO"); // an earlier test's outage may still hold the breaker open
        String key = "lost-" + System.nanoTime();
        // Reads before the commit (key and card lookups) go through the relay too and wait their second each;
        // the commit's own answer is held a second after the row is in: polling every 10 ms catches it then.
        Future<H2Client.Response> pending = committedThenCut(
                key,
                1_000,
                () -> app.client()
                        .sendAsync(
                                HttpMethod.POST,
                                "/v1/authorizations",
                                TestProcessor.headers(TestProcessor.API_KEY, key),
                                Bodies.valid(Bodies.freshPan()).encode()));
        // Not "503, nothing was committed": the writer asks the database and answers what it holds.
        H2Client.Response r = Await.result(pending);
        assertEquals(200, r.status(), r.body());
        String paymentId = db.query("SELECT payment_id FROM idempotency_keys WHERE idempotency_key = $1", key)
                .iterator()
                .next()
                .getString(0);
        assertEquals(paymentId, r.json().getString("id"));
        assertEquals(1, db.count("SELECT count(*) FROM idempotency_keys WHERE idempotency_key = $1", key));
    }

    @Test
    void aLifecycleCommitWhoseConnectionIsLostIsLookedUpNotGuessed() {
        String id = authorizeWhenReady("MANUAL").json().getString("id");
        String key = "lost-capture-" + System.nanoTime();
        // Each round trip of the capture's transaction (BEGIN, its statements, COMMIT) waits 400 ms; the key's row
        // appears when PostgreSQL commits, 400 ms before COMMIT's answer reaches the writer.
        Future<H2Client.Response> pending = committedThenCut(
                key,
                400,
                () -> app.client()
                        .sendAsync(
                                HttpMethod.POST,
                                "/v1/payments/" + id + "/capture",
                                TestProcessor.headers(TestProcessor.API_KEY, key),
                                null));
        // Not "503, nothing was committed": the capture is looked up and its stored answer replayed.
        H2Client.Response r = Await.result(pending);
        assertEquals(200, r.status(), r.body());
        assertEquals("true", r.header("Idempotent-Replayed"));
        assertEquals("CAPTURED", r.json().getString("status"));
        assertEquals(1250, r.json().getLong("capturedAmount"));
        assertEquals(1, db.count("SELECT count(*) FROM payment_events WHERE payment_id = $1 AND type = 'CAPTURE'", id));
    }

    /**
     * Sends a request while the relay holds each of PostgreSQL's answers {@code delayMillis}, waits until its key is
     * committed, then cuts the writer's connection with the commit's answer unread: the commit is in doubt.
     */
    private Future<H2Client.Response> committedThenCut(
            String key, long delayMillis, Supplier<Future<H2Client.Response>> send) {
        String sql = "SELECT count(*) FROM idempotency_keys WHERE idempotency_key = $1";
        proxy.delay(delayMillis);
        try {
            Future<H2Client.Response> pending = send.get();
            for (int i = 0; i < 1500 && db.count(sql, key) == 0; i++) Await.sleep(10);
            assertEquals(
                    1,
                    db.count(sql, key),
                    () -> "committed while its answer is held; the request: "
                            + (pending.isComplete() ? pending.result() + " " + pending.cause() : "unanswered"));
            return pending;
        } finally {
            // Cut first: an answer that reached the relay after the delay dropped to 0 would pass at once, and the
            // request would be answered from its commit instead of from the lookup this test is about.
            proxy.cut();
            proxy.delay(0);
            proxy.restore();
        }
    }

    /** A new authorization, once the processor accepts again: an earlier test's outage may still hold the breaker open. */
    private H2Client.Response authorizeWhenReady(String capture) {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (true) {
            H2Client.Response r = app.authorize(
                    "ready-" + System.nanoTime(),
                    Bodies.valid(Bodies.freshPan()).put("capture", capture).encode());
            if (r.status() == 201) return r;
            assertTrue(System.nanoTime() < deadline, "the processor recovers: " + r.status() + " " + r.body());
            Await.sleep(100);
        }
    }

    private void waitForInFlight(int n) {
        for (int i = 0; i < 100; i++) {
            String metrics = app.client().get("/metrics", Map.of()).body();
            if (metrics.contains("payproc_in_flight " + n + "\n")) return;
            Await.sleep(20);
        }
        throw new AssertionError("never saw " + n + " request(s) in flight");
    }
}
