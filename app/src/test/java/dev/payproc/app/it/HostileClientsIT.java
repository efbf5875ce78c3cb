package dev.payproc.app.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.payproc.testkit.Await;
import dev.payproc.testkit.Bodies;
import dev.payproc.testkit.H2Client;
import dev.payproc.testkit.H2c;
import io.vertx.core.Vertx;
import io.vertx.core.http.Http2Settings;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Hostile clients get clear refusals and cannot hurt the processor: big headers, stream floods, rapid resets, slow bodies. */
class HostileClientsIT extends ProcessorIT {
    @Override
    protected Map<String, String> env() {
        return Map.of("BODY_TIMEOUT_MS", "500");
    }

    private void assertStillServes() {
        try (H2Client fresh = H2Client.h2c(app.port())) {
            H2Client.Response r = fresh.send(
                    HttpMethod.POST,
                    "/v1/authorizations",
                    TestProcessor.headers(TestProcessor.API_KEY, "ok-" + UUID.randomUUID()),
                    Bodies.valid(Bodies.freshPan()).encode());
            assertEquals(201, r.status(), r.body());
        }
    }

    @Test
    void oversizedHeadersAreRefused() {
        Map<String, String> big =
                new java.util.HashMap<>(TestProcessor.headers(TestProcessor.API_KEY, "big-" + UUID.randomUUID()));
        big.put("X-Padding", "x".repeat(20_000));
        try (H2Client http11 = H2Client.http11(app.port())) {
            assertEquals(
                    431,
                    http11.send(
                                    HttpMethod.POST,
                                    "/v1/authorizations",
                                    big,
                                    Bodies.valid().encode())
                            .status());
        }
        try (H2Client h2 = H2Client.h2c(app.port())) {
            int status;
            try {
                status = h2.send(
                                HttpMethod.POST,
                                "/v1/authorizations",
                                big,
                                Bodies.valid().encode())
                        .status();
            } catch (IllegalStateException refused) { // the stream (or connection) is refused outright
                status = -1;
            }
            assertTrue(status == 431 || status == -1, "refused, not processed: " + status);
        }
        assertStillServes();
    }

    @Test
    void advertisesItsStreamLimitAndClosesARapidResetFlood() throws Exception {
        Vertx vertx = Vertx.vertx();
        AtomicReference<Http2Settings> settings = new AtomicReference<>();
        AtomicInteger closed = new AtomicInteger();
        HttpClientAgent client = vertx.httpClientBuilder()
                .with(H2c.priorKnowledge())
                .with(new PoolOptions().setHttp2MaxSize(1))
                .withConnectHandler(conn -> {
                    settings.set(conn.remoteSettings()); // already received when the connection is handed over
                    conn.remoteSettingsHandler(settings::set);
                    conn.closeHandler(v -> closed.incrementAndGet());
                })
                .build();
        try {
            RequestOptions post = new RequestOptions()
                    .setMethod(HttpMethod.POST)
                    .setHost("127.0.0.1")
                    .setPort(app.port())
                    .setURI("/v1/authorizations")
                    .putHeader("Content-Type", "application/json");
            // Open a stream and reset it at once, many times over (CVE-2023-44487).
            for (int i = 0; i < 1000 && closed.get() == 0; i++) {
                try {
                    var req = Await.result(client.request(post), 5);
                    Await.result(req.sendHead(), 5);
                    req.reset();
                } catch (IllegalStateException connectionGone) {
                    break;
                }
            }
            for (int i = 0; i < 50 && closed.get() == 0; i++) Thread.sleep(50);
            assertEquals(256L, settings.get().getMaxConcurrentStreams(), "the server limits concurrent streams");
            assertEquals(16 * 1024L, settings.get().getMaxHeaderListSize());
            assertTrue(closed.get() >= 1, "the server closed the flooding connection");
        } finally {
            Await.result(client.close());
            Await.result(vertx.close());
        }
        assertStillServes();
    }

    @Test
    void aBodyThatTricklesInIsTimedOut() throws Exception {
        try (Socket s = new Socket("127.0.0.1", app.port())) {
            s.setSoTimeout(5_000);
            OutputStream out = s.getOutputStream();
            out.write(("POST /v1/authorizations HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + TestProcessor.API_KEY
                            + "\r\nIdempotency-Key: slow-1\r\nContent-Type: application/json\r\nContent-Length: 400\r\n\r\n{\"merchantId\"")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            long start = System.nanoTime();
            InputStream in = s.getInputStream();
            String answer = new String(in.readAllBytes(), StandardCharsets.US_ASCII); // the server answers, then closes
            long waitedMillis = (System.nanoTime() - start) / 1_000_000;
            assertTrue(answer.startsWith("HTTP/1.1 408"), answer);
            assertTrue(answer.contains("\"error\":\"request_timeout\""), answer);
            assertTrue(
                    waitedMillis < 4_000, "answered after the body deadline, not the socket timeout: " + waitedMillis);
        }
        assertNotEquals(0, db.count("SELECT count(*) FROM merchants"));
        assertEquals(0, db.count("SELECT count(*) FROM idempotency_keys WHERE idempotency_key = 'slow-1'"));
        assertStillServes();
    }
}
