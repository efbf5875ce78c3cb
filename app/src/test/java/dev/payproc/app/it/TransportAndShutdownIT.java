package dev.payproc.app.it;

import static dev.payproc.testkit.Asserts.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.payproc.testkit.Await;
import dev.payproc.testkit.Bodies;
import dev.payproc.testkit.H2Client;
import dev.payproc.testkit.TcpProxy;
import dev.payproc.testkit.TestDatabase;
import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.net.SelfSignedCertificate;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

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
        try (TestProcessor app = new TestProcessor(db.settings(), Map.of("TLS_PORT", Integer.toString(tlsPort)));
                H2Client tls = H2Client.h2Tls(tlsPort)) {
            H2Client.Response r = tls.send(
                    HttpMethod.POST,
                    "/v1/authorizations",
                    TestProcessor.headers(TestProcessor.API_KEY, "tls-" + System.nanoTime()),
                    Bodies.valid(Bodies.freshPan()).encode());
            assertEquals(201, r.status(), r.body());
            assertEquals(HttpVersion.HTTP_2, r.version(), "ALPN negotiated h2");
            // The cleartext port still serves h2c beside it.
            assertEquals(200, app.client().get("/health/live", Map.of()).status());
        }
    }

    @Test
    void mutualTlsAdmitsOnlyTerminalsWithACertificateFromTheClientCa() {
        int tlsPort = TestProcessor.freePort();
        SelfSignedCertificate terminal = SelfSignedCertificate.create("terminal-77");
        SelfSignedCertificate stranger = SelfSignedCertificate.create("terminal-77");
        try (TestProcessor app = new TestProcessor(
                        db.settings(),
                        Map.of(
                                "TLS_PORT",
                                Integer.toString(tlsPort),
                                "TLS_CLIENT_CA_PATH",
                                terminal.certificatePath()));
                H2Client trusted = H2Client.h2Tls(tlsPort, terminal.keyCertOptions());
                H2Client anonymous = H2Client.h2Tls(tlsPort);
                H2Client forged = H2Client.h2Tls(tlsPort, stranger.keyCertOptions())) {
            H2Client.Response r = trusted.send(
                    HttpMethod.POST,
                    "/v1/authorizations",
                    TestProcessor.headers(TestProcessor.API_KEY, "mtls-" + System.nanoTime()),
                    Bodies.valid(Bodies.freshPan()).encode());
            assertEquals(201, r.status(), r.body());
            assertHandshakeRefused(anonymous, "no client certificate");
            assertHandshakeRefused(forged, "a certificate the CA did not issue");
            assertEquals(200, app.client().get("/health/live", Map.of()).status(), "the cleartext port is unaffected");
        } finally {
            terminal.delete();
            stranger.delete();
        }
    }

    /**
     * Beside a mutual-TLS port the cleartext port must not be a way around it: it listens on 127.0.0.1 only. A
     * connection to another address of this host (127.0.0.2 here: the tests may reach no other interface) is
     * refused, while a wildcard listener, as before, accepts it and serves payments' routes in clear.
     */
    @Test
    void besideMutualTlsTheCleartextPortAnswersOnlyOnLoopback() throws IOException {
        int tlsPort = TestProcessor.freePort();
        SelfSignedCertificate terminal = SelfSignedCertificate.create("terminal-77");
        try (TestProcessor app = new TestProcessor(
                db.settings(),
                Map.of("TLS_PORT", Integer.toString(tlsPort), "TLS_CLIENT_CA_PATH", terminal.certificatePath()))) {
            assertEquals("127.0.0.1", app.config().plainHost());
            assertTrue(
                    app.config().listeners().contains("127.0.0.1:" + app.port() + " (loopback only)"),
                    app.config().listeners());
            assertThrows(ConnectException.class, () -> http11Status("127.0.0.2", app.port(), "/v1/payments/pay_1"));
            assertEquals(200, app.client().get("/health/live", Map.of()).status(), "local probes still reach it");
        } finally {
            terminal.delete();
        }
        try (TestProcessor open = new TestProcessor(
                db.settings(),
                Map.of("TLS_PORT", Integer.toString(TestProcessor.freePort()), "PLAIN_HOST", "0.0.0.0"))) {
            assertEquals(
                    401, http11Status("127.0.0.2", open.port(), "/v1/payments/pay_1"), "opened on purpose: it answers");
        }
    }

    /** The status of one HTTP/1.1 GET over a plain socket to {@code host}. */
    private static int http11Status(String host, int port, String path) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), 2_000);
            socket.setSoTimeout(5_000);
            socket.getOutputStream()
                    .write(("GET " + path + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                            .getBytes(StandardCharsets.US_ASCII));
            String statusLine = new BufferedReader(
                            new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII))
                    .readLine();
            return Integer.parseInt(statusLine.split(" ")[1]);
        }
    }

    private static void assertHandshakeRefused(H2Client client, String why) {
        IllegalStateException e = assertThrows(
                IllegalStateException.class,
                () -> Await.result(client.sendAsync(HttpMethod.GET, "/health/live", Map.of(), null), 10),
                why);
        assertFalse(String.valueOf(e.getMessage()).contains("timed out"), why + ": refused at once, not left hanging");
    }

    @Test
    void ceilingModeAnswersAFixedBodyWithoutThePipeline() {
        try (TestProcessor ceiling = new TestProcessor(db.settings(), Map.of("BENCH_CEILING", "1"))) {
            H2Client.Response r = ceiling.client()
                    .send(HttpMethod.POST, "/v1/authorizations", Map.of("Content-Type", "application/json"), "{}");
            assertEquals(201, r.status(), r.body());
            assertEquals("APPROVED", r.json().getString("status"));
            assertEquals(
                    0,
                    db.count(
                            "SELECT count(*) FROM payments WHERE id = $1",
                            r.json().getString("id")),
                    "nothing is committed");
        }
    }

    @Test
    void drainingAnswersInFlightWorkAndRefusesNewWork() {
        int n = 100;
        try (TcpProxy proxy = new TcpProxy(db.settings().host(), db.settings().port())) {
            TestProcessor app = new TestProcessor(TestDatabase.through(db.settings(), proxy));
            boolean stopped = false;
            try {
                app.authorize(
                        "warm-" + System.nanoTime(),
                        Bodies.valid(Bodies.freshPan()).encode());
                proxy.hold(); // commits hang: n requests pile up in flight on one HTTP/2 connection
                List<String> keys = new ArrayList<>();
                List<Future<H2Client.Response>> inFlight = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    String key = "drain-" + i + "-" + System.nanoTime();
                    keys.add(key);
                    inFlight.add(app.client()
                            .sendAsync(
                                    HttpMethod.POST,
                                    "/v1/authorizations",
                                    TestProcessor.headers(TestProcessor.API_KEY, key),
                                    Bodies.valid(Bodies.freshPan()).encode()));
                }
                waitUntil(() -> metric(app).contains("payproc_in_flight " + n + "\n"));

                Future<Void> stopping = app.processor().stop(10_000);
                // The client hears at once that it may open no new streams on its connection, while everything it
                // already sent there is still to be answered (a GOAWAY naming no last stream).
                waitUntil(() -> app.client().goAways().contains(Integer.MAX_VALUE));
                H2Client.Response refused = app.authorize(
                        "late-" + System.nanoTime(),
                        Bodies.valid(Bodies.freshPan()).encode());
                assertError(refused, 503, "unavailable", null);
                assertFalse(stopping.isComplete(), "stop waits for the in-flight requests");
                proxy.release();
                for (Future<H2Client.Response> f : inFlight) {
                    H2Client.Response r = Await.result(f);
                    assertEquals(201, r.status(), r.body());
                }
                Await.result(stopping);
                stopped = true;
                // Then a final GOAWAY on every connection names the last stream the client opened there (on the
                // first, at least the 100 above; the late request went over a second): anything it opened after that
                // was refused, and it can tell.
                List<Integer> newest = app.client().newestGoAways();
                assertEquals(2, newest.size(), newest.toString());
                assertTrue(newest.get(0) >= 2 * n + 1, newest.toString());
                assertFalse(newest.contains(Integer.MAX_VALUE), newest.toString());
                for (String key : keys) {
                    assertEquals(1, db.count("SELECT count(*) FROM idempotency_keys WHERE idempotency_key = $1", key));
                }
            } finally {
                proxy.release();
                if (stopped) app.client().close();
                else app.close();
            }
        }
    }

    @Test
    void stoppingUnderSustainedLoadAnswersEveryCommittedPayment() throws Exception {
        TestProcessor app = new TestProcessor(db.settings());
        Map<String, Future<H2Client.Response>> sent = new java.util.concurrent.ConcurrentHashMap<>();
        java.util.concurrent.atomic.AtomicInteger answered = new java.util.concurrent.atomic.AtomicInteger();
        Set<String> answered201 = new java.util.HashSet<>();
        Map<String, String> failures = new java.util.HashMap<>();
        try {
            app.authorize(
                    "warm-" + System.nanoTime(), Bodies.valid(Bodies.freshPan()).encode());
            java.util.concurrent.atomic.AtomicBoolean sending = new java.util.concurrent.atomic.AtomicBoolean(true);
            Thread load = new Thread(() -> {
                for (int i = 0; sending.get() && i < 20_000; i++) {
                    String key = "load-" + i + "-" + System.nanoTime();
                    Future<H2Client.Response> f = app.client()
                            .sendAsync(
                                    HttpMethod.POST,
                                    "/v1/authorizations",
                                    TestProcessor.headers(TestProcessor.API_KEY, key),
                                    Bodies.valid(Bodies.freshPan()).encode());
                    f.onSuccess(r -> answered.incrementAndGet());
                    sent.put(key, f);
                    if (i % 64 == 63) {
                        try {
                            Thread.sleep(5);
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                }
            });
            load.start();
            // Stop only once the load is really flowing, however busy the machine is.
            for (int i = 0; i < 400 && answered.get() < 150; i++) Thread.sleep(50);
            Await.result(app.processor().stop(10_000));
            sending.set(false);
            load.join();
            for (Map.Entry<String, Future<H2Client.Response>> e : sent.entrySet()) {
                try {
                    H2Client.Response r = Await.result(e.getValue(), 10);
                    if (r.status() == 201) answered201.add(e.getKey());
                    else assertEquals(503, r.status(), r.body());
                } catch (IllegalStateException refusedStream) {
                    // Sent after GOAWAY or after the listener closed: never processed; checked against the ledger
                    // below.
                    failures.put(e.getKey(), String.valueOf(refusedStream.getCause()));
                }
            }
        } finally {
            app.client().close();
        }
        Set<String> committed = new java.util.HashSet<>();
        for (io.vertx.sqlclient.Row r :
                db.query("SELECT idempotency_key FROM idempotency_keys WHERE idempotency_key LIKE 'load-%'")) {
            committed.add(r.getString(0));
        }
        assertTrue(committed.size() >= 150, "the load ran: " + committed.size());
        Set<String> unanswered = new java.util.HashSet<>(committed);
        unanswered.removeAll(answered201);
        Map<String, String> lost = new java.util.TreeMap<>();
        for (String k : unanswered) lost.put(k, failures.get(k));
        assertEquals(Map.of(), lost, "committed payments whose answer was lost in shutdown");
        assertEquals(committed, answered201);
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
