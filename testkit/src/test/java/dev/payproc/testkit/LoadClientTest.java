package dev.payproc.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.Http2Settings;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The load client against a tiny in-process h2c server. No assertion depends on how fast a loaded box runs: counts,
 * and lower bounds that the server's own delays guarantee; deadlines are only there so that a broken client fails
 * instead of hanging.
 */
class LoadClientTest {
    private static final long DEADLINE_NANOS = TimeUnit.SECONDS.toNanos(30);

    private final Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));
    private final Set<String> keys = ConcurrentHashMap.newKeySet();
    private final Queue<String> problems = new ConcurrentLinkedQueue<>();
    private final AtomicInteger concurrency = new AtomicInteger();
    private final AtomicInteger peak = new AtomicInteger();
    private volatile Consumer<HttpServerRequest> behaviour = this::created;
    private HttpServer server;

    @BeforeEach
    void startServer() throws Exception {
        server = listen(new Http2Settings());
    }

    private HttpServer listen(Http2Settings settings) throws Exception {
        return vertx.createHttpServer(new HttpServerOptions().setInitialSettings(settings))
                .requestHandler(req -> {
                    String key = req.getHeader("Idempotency-Key");
                    if (!"Bearer sk_test".equals(req.getHeader("Authorization"))
                            || !"/v1/authorizations".equals(req.path())
                            || key == null
                            || !keys.add(key)) problems.add("request " + req.path() + " " + req.headers());
                    peak.accumulateAndGet(concurrency.incrementAndGet(), Math::max);
                    req.response().closeHandler(v -> concurrency.decrementAndGet());
                    behaviour.accept(req);
                })
                .listen(0, "127.0.0.1")
                .await(10, TimeUnit.SECONDS);
    }

    @AfterEach
    void stop() throws Exception {
        vertx.close().await(10, TimeUnit.SECONDS);
    }

    private void created(HttpServerRequest req) {
        req.body().onSuccess(b -> req.response().setStatusCode(201).end("{\"echo\":" + b + "}"));
    }

    private LoadClient client(int port, int connections, int streams) throws Exception {
        return LoadClient.open(
                vertx,
                LoadClient.Config.post("127.0.0.1", port, "/v1/authorizations", "sk_test")
                        .connections(connections)
                        .streams(streams));
    }

    private static LoadClient.Request<Void> request(long i) {
        return LoadClient.Request.of("k-" + i, Buffer.buffer("{\"i\":" + i + "}"));
    }

    @Test
    void theOpenModelSendsEveryScheduledRequestOnceAndDeliversEachAnswer() throws Exception {
        Queue<LoadClient.Answer<Void>> answers = new ConcurrentLinkedQueue<>();
        try (LoadClient client = client(server.actualPort(), 2, 64)) {
            assertNull(client.connectFailure());
            long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(20);
            OpenSchedule schedule = OpenSchedule.of(2_000, start, start + TimeUnit.MILLISECONDS.toNanos(150));
            LoadClient.Run<Void> run = client.open(schedule, LoadClientTest::request, answers::add);
            assertTrue(run.await(System.nanoTime() + DEADLINE_NANOS), "answered " + run.answered());

            assertEquals(300, schedule.total());
            assertEquals(300, run.sent());
            assertEquals(300, run.answered());
            assertEquals(300, run.due());
            assertEquals(List.of(), List.copyOf(problems));
            assertEquals(300, keys.size());
            Map<Long, LoadClient.Answer<Void>> byIndex = new TreeMap<>();
            for (LoadClient.Answer<Void> a : answers) {
                assertNull(byIndex.put(a.index(), a), "twice: " + a.index());
                assertEquals(201, a.status(), String.valueOf(a.failure()));
                assertEquals("{\"echo\":{\"i\":" + a.index() + "}}", a.text());
                assertEquals("k-" + a.index(), a.request().key());
                assertEquals(schedule.intendedNanos(a.index()), a.intendedNanos());
                assertTrue(a.latencyNanos() > 0);
            }
            assertEquals(300, byIndex.size());
        }
    }

    @Test
    void latencyCountsFromTheIntendedSendTimeAndOneStreamIsNeverExceeded() throws Exception {
        // One stream, each answer 20 ms late, ten requests due within 9 ms: request k waits for the k before it,
        // so its latency from when it was due is at least (k+1) * 20 ms - k ms, however fast the box is.
        behaviour = req -> req.body().onSuccess(b -> vertx.setTimer(20, id -> created(req, b)));
        Queue<LoadClient.Answer<Void>> answers = new ConcurrentLinkedQueue<>();
        try (LoadClient client = client(server.actualPort(), 1, 1)) {
            long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(20);
            OpenSchedule schedule = OpenSchedule.of(1_000, start, start + TimeUnit.MILLISECONDS.toNanos(10));
            LoadClient.Run<Void> run = client.open(schedule, LoadClientTest::request, answers::add);
            assertTrue(run.await(System.nanoTime() + DEADLINE_NANOS));
            assertEquals(10, answers.size());
            for (LoadClient.Answer<Void> a : answers) {
                long k = a.index();
                assertEquals(schedule.intendedNanos(k), a.intendedNanos());
                long floor = TimeUnit.MILLISECONDS.toNanos((k + 1) * 20 - k);
                assertTrue(a.latencyNanos() >= floor, "request " + k + ": " + a.latencyNanos() + " ns < " + floor);
            }
            assertEquals(1, peak.get());
        }
    }

    @Test
    void aClosedLoopFillsItsStreamsAndNeverExceedsThem() throws Exception {
        // The first five requests are held until all five are there: the loop must have filled every stream.
        List<Runnable> held = new ArrayList<>();
        behaviour = req -> req.body().onSuccess(b -> {
            synchronized (held) {
                if (held.size() < 5) {
                    held.add(() -> created(req, b));
                    if (held.size() == 5) held.forEach(Runnable::run);
                    return;
                }
            }
            vertx.setTimer(2, id -> created(req, b));
        });
        AtomicInteger ok = new AtomicInteger();
        try (LoadClient client = client(server.actualPort(), 2, 64)) {
            LoadClient.Run<Void> run = client.closed(Lane.Loop.count(0, 200), 5, LoadClientTest::request, a -> {
                if (a.status() == 201) ok.incrementAndGet();
            });
            assertTrue(run.await(System.nanoTime() + DEADLINE_NANOS), "answered " + run.answered());
            assertEquals(200, run.sent());
            assertEquals(200, ok.get());
            assertEquals(5, peak.get());
            assertEquals(List.of(), List.copyOf(problems));
        }
    }

    @Test
    void aPortSpreadSendsEachConnectionToItsOwnServerSideBySide() throws Exception {
        // Two servers on consecutive ports, as scripts/cluster.sh lays out its members.
        Map<Integer, AtomicInteger> byPort = new ConcurrentHashMap<>();
        behaviour = req -> {
            byPort.computeIfAbsent(req.localAddress().port(), p -> new AtomicInteger())
                    .incrementAndGet();
            created(req);
        };
        HttpServer first = null, second = null;
        for (int attempt = 0; second == null && attempt < 50; attempt++) {
            int port = 20_000 + java.util.concurrent.ThreadLocalRandom.current().nextInt(40_000);
            try {
                first = listenOn(port);
                second = listenOn(port + 1);
            } catch (Exception taken) {
                if (first != null) first.close().await(10, TimeUnit.SECONDS);
                first = null;
            }
        }
        assertTrue(second != null, "no two free ports side by side");
        try (LoadClient client = LoadClient.open(
                vertx,
                LoadClient.Config.post("127.0.0.1", first.actualPort(), "/v1/authorizations", "sk_test")
                        .connections(2)
                        .streams(8)
                        .portSpread(2))) {
            assertNull(client.connectFailure());
            LoadClient.Run<Void> run = client.closed(Lane.Loop.count(0, 40), 8, LoadClientTest::request, a -> {});
            assertTrue(run.await(System.nanoTime() + DEADLINE_NANOS));
            assertEquals(40, run.answered());
        }
        assertEquals(java.util.Set.of(first.actualPort(), second.actualPort()), byPort.keySet(), byPort.toString());
        assertEquals(40, byPort.values().stream().mapToInt(AtomicInteger::get).sum());
    }

    private HttpServer listenOn(int port) throws Exception {
        return vertx.createHttpServer()
                .requestHandler(req -> behaviour.accept(req))
                .listen(port, "127.0.0.1")
                .await(10, TimeUnit.SECONDS);
    }

    @Test
    void theServersStreamLimitBoundsAConnection() throws Exception {
        HttpServer strict = listen(new Http2Settings().setMaxConcurrentStreams(3));
        behaviour = req -> req.body().onSuccess(b -> vertx.setTimer(5, id -> created(req, b)));
        try (LoadClient client = client(strict.actualPort(), 1, 100)) {
            assertTrue(
                    client.describe().get(0).endsWith("up to 3 streams"),
                    client.describe().toString());
            LoadClient.Run<Void> run = client.closed(Lane.Loop.count(0, 60), 100, LoadClientTest::request, a -> {});
            assertTrue(run.await(System.nanoTime() + DEADLINE_NANOS));
            assertEquals(60, run.answered());
            assertTrue(peak.get() <= 3, "peak " + peak.get());
        }
    }

    @Test
    void failuresAreDeliveredAsAnswersNotThrown() throws Exception {
        behaviour = req -> {
            String key = req.getHeader("Idempotency-Key");
            if (key.equals("k-1")) req.response().reset(8); // CANCEL after it arrived: in doubt
            else if (!key.equals("k-2")) created(req); // k-2: never answered, the client's timeout fails it
        };
        Queue<LoadClient.Answer<Void>> answers = new ConcurrentLinkedQueue<>();
        try (LoadClient client = LoadClient.open(
                vertx,
                LoadClient.Config.post("127.0.0.1", server.actualPort(), "/v1/authorizations", "sk_test")
                        .timeoutMillis(5_000))) { // long: a cold server's first answers can take a second
            LoadClient.Run<Void> run = client.closed(Lane.Loop.count(0, 4), 4, LoadClientTest::request, a -> {
                answers.add(a);
                throw new IllegalStateException("a receiver that throws does not stop the client");
            });
            assertTrue(run.await(System.nanoTime() + DEADLINE_NANOS));
        }
        Map<Long, LoadClient.Answer<Void>> byIndex = new TreeMap<>();
        answers.forEach(a -> byIndex.put(a.index(), a));
        assertEquals(Set.of(0L, 1L, 2L, 3L), byIndex.keySet());
        assertEquals(
                201, byIndex.get(0L).status(), String.valueOf(byIndex.get(0L).failure()));
        assertEquals(
                201, byIndex.get(3L).status(), String.valueOf(byIndex.get(3L).failure()));
        for (long failed : new long[] {1, 2}) {
            LoadClient.Answer<Void> a = byIndex.get(failed);
            assertEquals(0, a.status());
            assertNotNull(a.failure());
            assertFalse(a.refused(), "sent, so in doubt: " + a.failure());
        }

        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        Queue<LoadClient.Answer<Void>> refused = new ConcurrentLinkedQueue<>();
        try (LoadClient client = client(closedPort, 2, 4)) {
            assertNotNull(client.connectFailure());
            LoadClient.Run<Void> run = client.closed(Lane.Loop.count(0, 6), 4, LoadClientTest::request, refused::add);
            assertTrue(run.await(System.nanoTime() + DEADLINE_NANOS));
        }
        assertEquals(6, refused.size());
        for (LoadClient.Answer<Void> a : refused) {
            assertEquals(0, a.status());
            assertNotNull(a.failure());
            assertTrue(a.refused(), "no connection, so not processed: " + a.failure());
        }
    }

    @Test
    void streamsAboveTheLastIdOfAGoAwayAreRefusedAndTheRestInDoubt() throws Exception {
        // All four arrive; the lowest stream is answered, the second reset, and a GOAWAY names the second as the last
        // processed: the second's failure is in doubt, the two above it were not processed.
        List<HttpServerRequest> arrived = new ArrayList<>();
        Map<HttpServerRequest, Buffer> bodies = new ConcurrentHashMap<>();
        behaviour = req -> req.body().onSuccess(b -> {
            bodies.put(req, b);
            synchronized (arrived) {
                arrived.add(req);
                if (arrived.size() < 4) return;
                arrived.sort((x, y) -> Integer.compare(x.streamId(), y.streamId()));
            }
            created(arrived.get(0), bodies.get(arrived.get(0)));
            arrived.get(1).response().reset(8);
            req.connection().goAway(0, arrived.get(1).streamId());
        });
        Queue<LoadClient.Answer<Void>> answers = new ConcurrentLinkedQueue<>();
        try (LoadClient client = client(server.actualPort(), 1, 4)) {
            LoadClient.Run<Void> run = client.closed(Lane.Loop.count(0, 4), 4, LoadClientTest::request, answers::add);
            assertTrue(run.await(System.nanoTime() + DEADLINE_NANOS));
        }
        assertEquals(4, answers.size());
        assertEquals(1, answers.stream().filter(a -> a.status() == 201).count());
        assertEquals(
                1,
                answers.stream()
                        .filter(a -> a.failure() != null && !a.refused())
                        .count(),
                answers.toString());
        assertEquals(
                2,
                answers.stream().filter(a -> a.failure() != null && a.refused()).count(),
                answers.toString());
    }

    @Test
    void a503WithRetryAfterIsSentAgainWithTheSameKeyAndBody() throws Exception {
        Set<String> seen = ConcurrentHashMap.newKeySet();
        Queue<String> bodies = new ConcurrentLinkedQueue<>();
        behaviour = req -> req.body().onSuccess(b -> {
            bodies.add(b.toString());
            if (seen.add(req.getHeader("Idempotency-Key"))) {
                req.response().setStatusCode(503).putHeader("Retry-After", "1").end("{\"error\":\"overloaded\"}");
            } else created(req, b);
        });
        Queue<LoadClient.Answer<Void>> answers = new ConcurrentLinkedQueue<>();
        try (LoadClient client = LoadClient.open(
                vertx,
                LoadClient.Config.post("127.0.0.1", server.actualPort(), "/v1/authorizations", "sk_test")
                        .tries(3))) {
            LoadClient.Run<Void> run = client.closed(Lane.Loop.count(0, 1), 1, LoadClientTest::request, answers::add);
            assertTrue(run.await(System.nanoTime() + DEADLINE_NANOS));
        }
        LoadClient.Answer<Void> a = answers.remove();
        assertEquals(201, a.status());
        assertEquals(2, a.tries());
        assertEquals(List.of("{\"i\":0}", "{\"i\":0}"), List.copyOf(bodies));
        assertTrue(a.latencyNanos() >= TimeUnit.SECONDS.toNanos(1), "the wait counts: " + a.latencyNanos());
    }

    private void created(HttpServerRequest req, Buffer body) {
        req.response().setStatusCode(201).end("{\"echo\":" + body + "}");
    }
}
