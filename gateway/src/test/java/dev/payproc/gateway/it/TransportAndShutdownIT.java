package dev.payproc.gateway.it;

import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** h2 over TLS (ALPN, self-signed for local runs), and a graceful drain that answers what is in flight. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TransportAndShutdownIT {
    private TestDatabase db;

    @BeforeAll
    void start() {
        db = new TestDatabase();
    }

    @AfterAll
    void stop() {
        if (db != null) db.close();
    }

    @Test
    void speaksH2OverTlsWithAlpn() {
        int tlsPort = TestProcessor.freePort();
        try (TestProcessor app = new TestProcessor(db.settings(), c -> c.withTlsPort(tlsPort));
             H2Client tls = H2Client.h2Tls(tlsPort)) {
            H2Client.Response r = tls.send(HttpMethod.POST, "/v1/authorizations",
                    TestProcessor.headers(TestProcessor.API_KEY, "tls-" + System.nanoTime()), Bodies.valid(Bodies.freshPan()).encode());
            assertEquals(201, r.status(), r.body());
            assertEquals(HttpVersion.HTTP_2, r.version(), "ALPN negotiated h2");
            // The cleartext port still serves h2c beside it.
            assertEquals(200, app.client().get("/health/live", Map.of()).status());
        }
    }

    @Test
    void drainingAnswersInFlightWorkAndRefusesNewWork() {
        try (TcpProxy proxy = new TcpProxy(db.settings().host(), db.settings().port())) {
            TestProcessor app = new TestProcessor(db.settings().withEndpoint("127.0.0.1", proxy.port()));
            boolean closed = false;
            try {
                app.authorize("warm-" + System.nanoTime(), Bodies.valid(Bodies.freshPan()).encode());
                proxy.hold();
                String key = "drain-" + System.nanoTime();
                Future<H2Client.Response> inFlight = app.client().sendAsync(HttpMethod.POST, "/v1/authorizations",
                        TestProcessor.headers(TestProcessor.API_KEY, key), Bodies.valid(Bodies.freshPan()).encode());
                waitUntil(() -> app.processor().ready() && metric(app).contains("payproc_in_flight 1\n"));

                Future<Void> stopping = app.processor().stop(10_000);
                assertFalse(stopping.isComplete(), "stop waits for the in-flight request");
                proxy.release();
                H2Client.Response answered = Await.result(inFlight);
                assertEquals(201, answered.status(), answered.body());
                Await.result(stopping);
                closed = true;
                assertEquals(1, db.count("SELECT count(*) FROM idempotency_keys WHERE idempotency_key = $1", key));
            } finally {
                proxy.release();
                if (!closed) app.close();
                else app.client().close();
            }
        }
    }

    private static String metric(TestProcessor app) {
        return app.client().get("/metrics", Map.of()).body();
    }

    private static void waitUntil(java.util.function.BooleanSupplier condition) {
        for (int i = 0; i < 200; i++) {
            if (condition.getAsBoolean()) return;
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        throw new AssertionError("condition never held");
    }
}
