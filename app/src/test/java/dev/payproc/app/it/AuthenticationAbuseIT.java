package dev.payproc.app.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.payproc.testkit.Await;
import dev.payproc.testkit.Bodies;
import dev.payproc.testkit.H2Client;
import dev.payproc.testkit.H2c;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.GoAway;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientConnection;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpConnectOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * A stranger's requests cost no body buffering and, once it has failed often enough, no database lookups either;
 * one connection that keeps guessing is closed.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class) // the throttling tests use up 127.0.0.1's failures
class AuthenticationAbuseIT extends ProcessorIT {
    @Override
    protected Map<String, String> env() {
        return Map.of("BODY_TIMEOUT_MS", "60000"); // a body deadline cannot be what answers here
    }

    @Test
    @Order(1)
    void anUnknownKeyIsRefusedBeforeItsBodyIsRead() {
        Vertx vertx = Vertx.vertx();
        HttpClientAgent client =
                vertx.httpClientBuilder().with(H2c.priorKnowledge()).build();
        try {
            HttpClientRequest req = Await.result(client.request(new RequestOptions()
                    .setMethod(HttpMethod.POST)
                    .setHost("127.0.0.1")
                    .setPort(app.port())
                    .setURI("/v1/authorizations/batch")
                    .putHeader("Authorization", "Bearer sk_nobody_" + System.nanoTime())
                    .putHeader("Content-Type", "application/json")));
            // Half a body that never ends: before the fix the gateway waited for the rest (up to the batch limit).
            req.setChunked(true); // no length announced: on HTTP/2 the body simply streams
            req.write(Buffer.buffer("{\"items\": [" + "{\"idempotencyKey\": \"k\"},".repeat(2_000)));
            HttpClientResponse res = Await.result(req.response(), 10);
            assertEquals(401, res.statusCode());
        } finally {
            Await.result(client.close());
            Await.result(vertx.close());
        }
    }

    @Test
    @Order(2)
    void aConnectionThatKeepsSendingWrongKeysIsClosedWhileAFreshOneFromTheSameAddressWorks() {
        // An address of its own (all of 127/8 is loopback), so that no other test's failures count here: every
        // wrong key below is looked up and refused (401), far from the address's limit of 20.
        try (Connections from = new Connections("127.0.0.2")) {
            Connection guesser = from.open(app.port());
            for (int i = 1; i <= CONNECTION_LIMIT; i++) {
                assertFalse(guesser.closed().future().isComplete(), "open before failure " + i);
                H2Client.Response r = guesser.authorize("sk_multiplexed_" + i + "_" + System.nanoTime(), "conn-" + i);
                assertEquals(401, r.status(), "failure " + i + " is an ordinary 401: " + r.body());
            }
            GoAway goAway = Await.result(guesser.goAway().future(), 10);
            assertEquals(ENHANCE_YOUR_CALM, goAway.getErrorCode(), "the client is told why");
            assertTrue(
                    goAway.getLastStreamId() >= 2 * CONNECTION_LIMIT - 1,
                    "every stream it opened was answered: " + goAway.getLastStreamId());
            Await.result(guesser.closed().future(), 10); // closed after the 10th failure on it, not the 20th
            assertThrows(
                    RuntimeException.class,
                    () -> guesser.authorize("sk_multiplexed_after_" + System.nanoTime(), "conn-after"),
                    "no stream is served on it any more");

            Connection fresh = from.open(app.port());
            H2Client.Response good = fresh.authorize(
                    TestProcessor.API_KEY,
                    "conn-good-" + System.nanoTime(),
                    Bodies.valid(Bodies.freshPan()).encode());
            assertEquals(201, good.status(), "a fresh connection from the same address works: " + good.body());
            H2Client.Response wrong = fresh.authorize("sk_after_" + System.nanoTime(), "conn-wrong");
            assertEquals(401, wrong.status(), "and is not throttled: the address limit did not come into it");
            assertFalse(fresh.closed().future().isComplete(), "one failure does not close a connection");
        }
    }

    @Test
    @Order(3)
    void anAddressThatKeepsFailingIsThrottledWhileKnownKeysStillWork() {
        H2Client.Response warm = app.authorize(
                "abuse-warm-" + System.nanoTime(),
                Bodies.valid(Bodies.freshPan()).encode());
        assertEquals(201, warm.status(), warm.body()); // the terminal's key is known (cached) from here on
        // Spread over connections that each stay below their own limit: what stops the guessing here is the
        // address's limit, across connections, not the closing of one connection.
        int perConnection = CONNECTION_LIMIT / 2;
        int unauthenticated = 0, throttled = 0;
        try (Connections from = new Connections("127.0.0.1")) {
            Connection connection = null;
            for (int i = 0; i < 40; i++) {
                if (i % perConnection == 0) connection = from.open(app.port());
                H2Client.Response r = connection.authorize("sk_guess_" + i + "_" + System.nanoTime(), "abuse-" + i);
                if (r.status() == 401) unauthenticated++;
                else if (r.status() == 429) {
                    throttled++;
                    assertNotNull(r.header("Retry-After"), "a throttled caller is told when to come back");
                    assertEquals("rate_limited", r.json().getString("error"));
                } else {
                    throw new AssertionError("unexpected answer " + r.status() + " " + r.body());
                }
            }
            assertEquals(40 / perConnection, from.opened().size());
            for (Connection c : from.opened())
                assertFalse(c.closed().future().isComplete(), "no connection reached its own limit");
        }
        assertTrue(unauthenticated <= 20, unauthenticated + " lookups of wrong keys");
        assertTrue(throttled >= 20, throttled + " refused without a lookup");
        H2Client.Response known = app.authorize(
                "abuse-known-" + System.nanoTime(),
                Bodies.valid(Bodies.freshPan()).encode());
        assertEquals(201, known.status(), "a known key still works from the same address: " + known.body());
    }

    @Test
    @Order(4)
    void wrongAdminKeysAreThrottledPerAddressOverHttp2() {
        int unauthenticated = 0, throttled = 0;
        for (int i = 0; i < 30; i++) {
            H2Client.Response r = app.client()
                    .send(HttpMethod.GET, "/admin/config", Map.of("Authorization", "Bearer wrong-admin-" + i), null);
            if (r.status() == 401) unauthenticated++;
            else if (r.status() == 429) {
                throttled++;
                assertNotNull(r.header("Retry-After"), "a throttled caller is told when to come back");
                assertEquals("rate_limited", r.json().getString("error"));
            } else {
                throw new AssertionError("unexpected answer " + r.status() + " " + r.body());
            }
        }
        assertEquals(20, unauthenticated, "compared until the limit");
        assertEquals(10, throttled, "then refused without a comparison");
        H2Client.Response right = app.client()
                .send(
                        HttpMethod.GET,
                        "/admin/config",
                        Map.of("Authorization", "Bearer " + TestProcessor.ADMIN_KEY),
                        null);
        assertEquals(429, right.status(), "within the window even the right key is not compared: " + right.body());
    }

    private static final int CONNECTION_LIMIT = 10; // ConnectionFailures.LIMIT
    private static final long ENHANCE_YOUR_CALM = 0xb;

    /** HTTP/2 connections (prior knowledge) opened one by one from a given local address. */
    private static final class Connections implements AutoCloseable {
        private final Vertx vertx = Vertx.vertx();
        private final HttpClientAgent agent;
        private final List<Connection> opened = new ArrayList<>();

        Connections(String localAddress) {
            agent = vertx.httpClientBuilder()
                    .with(H2c.priorKnowledge().setLocalAddress(localAddress))
                    .build();
        }

        Connection open(int port) {
            HttpClientConnection c = Await.result(
                    agent.connect(new HttpConnectOptions().setHost("127.0.0.1").setPort(port)));
            Connection connection = new Connection(c, Promise.promise(), Promise.promise());
            c.closeHandler(v -> connection.closed().tryComplete());
            c.goAwayHandler(g -> connection.goAway().tryComplete(g));
            opened.add(connection);
            return connection;
        }

        List<Connection> opened() {
            return opened;
        }

        @Override
        public void close() {
            Await.result(agent.close());
            Await.result(vertx.close());
        }
    }

    /** One HTTP/2 connection: every request is a stream of its own on it. */
    private record Connection(HttpClientConnection connection, Promise<Void> closed, Promise<GoAway> goAway) {
        H2Client.Response authorize(String apiKey, String idempotencyKey) {
            return authorize(apiKey, idempotencyKey, Bodies.valid().encode());
        }

        H2Client.Response authorize(String apiKey, String idempotencyKey, String body) {
            RequestOptions options =
                    new RequestOptions().setMethod(HttpMethod.POST).setURI("/v1/authorizations");
            TestProcessor.headers(apiKey, idempotencyKey).forEach(options::putHeader);
            return Await.result(
                    connection.request(options).compose(req -> H2Client.exchange(req, Buffer.buffer(body))));
        }
    }
}
