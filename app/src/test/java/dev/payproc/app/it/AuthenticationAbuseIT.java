package dev.payproc.app.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.payproc.testkit.Await;
import dev.payproc.testkit.Bodies;
import dev.payproc.testkit.H2Client;
import dev.payproc.testkit.H2c;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.util.Map;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/** A stranger's requests cost no body buffering and, once it has failed often enough, no database lookups either. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class) // the throttling test uses up this address's failures
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
    void anAddressThatKeepsFailingIsThrottledWhileKnownKeysStillWork() {
        H2Client.Response warm = app.authorize(
                "abuse-warm-" + System.nanoTime(),
                Bodies.valid(Bodies.freshPan()).encode());
        assertEquals(201, warm.status(), warm.body()); // the terminal's key is known (cached) from here on
        int unauthenticated = 0, throttled = 0;
        for (int i = 0; i < 40; i++) {
            H2Client.Response r = app.client()
                    .send(
                            HttpMethod.POST,
                            "/v1/authorizations",
                            TestProcessor.headers("sk_guess_" + i + "_" + System.nanoTime(), "abuse-" + i),
                            Bodies.valid().encode());
            if (r.status() == 401) unauthenticated++;
            else if (r.status() == 429) {
                throttled++;
                assertNotNull(r.header("Retry-After"), "a throttled caller is told when to come back");
                assertEquals("rate_limited", r.json().getString("error"));
            } else {
                throw new AssertionError("unexpected answer " + r.status() + " " + r.body());
            }
        }
        assertTrue(unauthenticated <= 20, unauthenticated + " lookups of wrong keys");
        assertTrue(throttled >= 20, throttled + " refused without a lookup");
        H2Client.Response known = app.authorize(
                "abuse-known-" + System.nanoTime(),
                Bodies.valid(Bodies.freshPan()).encode());
        assertEquals(201, known.status(), "a known key still works from the same address: " + known.body());
    }

    @Test
    @Order(3)
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
}
