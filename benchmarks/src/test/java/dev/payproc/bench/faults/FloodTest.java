package dev.payproc.bench.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.payproc.bench.faults.verdict.FloodFigures;
import dev.payproc.bench.faults.verdict.OutcomeFigures;
import dev.payproc.testkit.OpenSchedule;
import io.vertx.core.Vertx;
import io.vertx.core.http.Http2Settings;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.internal.VertxInternal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The flood against an in-process h2c server that allows 4 streams per connection and answers each request 5 ms
 * late with a status chosen by its key: the requests arrive as the processor expects them (decoded by a real HPACK
 * decoder), requests wait for a free stream instead of being dropped, and every outcome is classified and written,
 * resets and a request never answered included.
 */
class FloodTest {
    private static final int REQUESTS = 120;
    private static final int REFUSED = 7; // reset REFUSED_STREAM: not processed
    private static final int CANCELLED = 13; // reset CANCEL after the request arrived: in doubt
    private static final int IGNORED = 19; // never answered: failed in doubt when the run ends

    private final Vertx vertx = Vertx.vertx();
    private final Requests requests = new Requests("m-1001");
    private final Queue<String> problems = new ConcurrentLinkedQueue<>();
    private final AtomicInteger concurrency = new AtomicInteger();
    private final AtomicInteger peakConcurrency = new AtomicInteger();
    /** The closed-loop test's requests (keys from 10^9 on) that arrived. */
    private final AtomicInteger loopArrivals = new AtomicInteger();
    /** The closed-loop test holds its requests after the first LOOP_ANSWERED until then (System.nanoTime). */
    private volatile long holdUntil;

    private static final int LOOP_ANSWERED = 60; // ten rounds of six streams
    private HttpServer server;

    @BeforeEach
    void startServer() throws Exception {
        server = vertx.createHttpServer(
                        new HttpServerOptions().setInitialSettings(new Http2Settings().setMaxConcurrentStreams(4)))
                .requestHandler(this::answer)
                .listen(0, "127.0.0.1")
                .await(10, TimeUnit.SECONDS);
    }

    @AfterEach
    void stop() throws Exception {
        vertx.close().await(10, TimeUnit.SECONDS);
    }

    private void answer(HttpServerRequest req) {
        String key = req.getHeader("Idempotency-Key");
        if (req.version() != HttpVersion.HTTP_2
                || !req.method().name().equals("POST")
                || !"/v1/authorizations".equals(req.path())
                || !"Bearer sk_faults".equals(req.getHeader("Authorization"))
                || !"application/json".equals(req.getHeader("Content-Type"))
                || key == null) {
            problems.add("request " + req.method() + " " + req.path() + " " + req.headers());
        }
        peakConcurrency.accumulateAndGet(concurrency.incrementAndGet(), Math::max);
        req.response().closeHandler(v -> concurrency.decrementAndGet());
        long delay = 5;
        if (Long.parseLong(key.substring(key.indexOf('-') + 1)) >= 1_000_000_000L
                && loopArrivals.incrementAndGet() > LOOP_ANSWERED) {
            delay = Math.max(delay, TimeUnit.NANOSECONDS.toMillis(holdUntil - System.nanoTime()) + 2);
        }
        long answerAfter = delay;
        req.body()
                .onSuccess(body -> vertx.setTimer(answerAfter, id -> {
                    if (!body.toString().equals(requests.body(key))) problems.add("body of " + key + ": " + body);
                    int i = Integer.parseInt(key.substring(key.indexOf('-') + 1));
                    if (i == IGNORED) return;
                    if (i == REFUSED || i == CANCELLED) {
                        req.response().reset(i == REFUSED ? 7 : 8);
                        return;
                    }
                    var res = req.response().putHeader("content-type", "application/json");
                    switch (i % 6) {
                        case 0, 1 ->
                            res.setStatusCode(201)
                                    .end("{\"id\":\"pay_" + i + "\",\"status\":\""
                                            + (i % 6 == 0 ? "APPROVED" : "DECLINED") + "\"}");
                        case 2 ->
                            res.setStatusCode(503)
                                    .putHeader("Retry-After", "1")
                                    .end("{\"error\":\"overloaded\",\"message\":\"at capacity\"}");
                        case 3 ->
                            res.setStatusCode(503).end("{\"error\":\"overloaded\",\"message\":\"no Retry-After\"}");
                        case 4 ->
                            res.setStatusCode(503)
                                    .putHeader("Retry-After", "1")
                                    .end("{\"error\":\"unavailable\",\"message\":\"down\"}");
                        default -> res.setStatusCode(400).end("{\"error\":\"invalid\",\"message\":\"bad\"}");
                    }
                }));
    }

    @Test
    void sendsTheScheduleAndRecordsEveryOutcome(@TempDir Path dir) throws Exception {
        Flood flood = connect();
        Outcomes outcomes = new Outcomes(Long.MAX_VALUE);
        long start = System.nanoTime();
        // faster than 8 streams x 5 ms can answer
        FloodFigures end = flood.open(
                OpenSchedule.of(2_000, start, start + TimeUnit.MILLISECONDS.toNanos(60)),
                outcomes,
                System.nanoTime()
                        + TimeUnit.SECONDS.toNanos(
                                10)); // the run ends here (request IGNORED is never answered): ample on a loaded box
        flood.close();
        OutcomeFigures summary = outcomes.figures();

        assertEquals(List.of(), List.copyOf(problems));
        assertEquals(0, end.unsent(), summary.line());
        assertTrue(end.streamWaitPeak() > 0, "no request had to wait for a stream: " + end);
        long[] expected = new long[6];
        for (int i = 0; i < REQUESTS; i++) if (i != REFUSED && i != CANCELLED && i != IGNORED) expected[i % 6]++;
        assertEquals(REQUESTS, summary.sent());
        assertEquals(expected[0] + expected[1], summary.created());
        assertEquals(expected[2] + expected[3], summary.overloaded());
        assertEquals(expected[3], summary.noRetryAfter());
        assertEquals(expected[4], summary.unavailable());
        assertEquals(expected[5], summary.other());
        assertEquals(1, summary.refusedErrors());
        assertEquals(2, summary.streamErrors());

        Path tsv = dir.resolve("out.tsv");
        outcomes.write(tsv);
        List<String> lines = Files.readAllLines(tsv);
        assertEquals(REQUESTS, lines.size());
        for (String line : lines) {
            String[] f = line.split("\t", -1);
            assertEquals(7, f.length, line);
            int i = Integer.parseInt(f[0].substring("f6-".length()));
            if (i % 6 < 2 && i != REFUSED && i != CANCELLED && i != IGNORED) {
                assertEquals(
                        List.of("201", "pay_" + i, i % 6 == 0 ? "APPROVED" : "DECLINED"),
                        List.of(f[1], f[2], f[3]),
                        line);
            }
            assertEquals("0", f[6], line);
        }
    }

    /**
     * Counted, not timed: the server answers the loop's first 60 requests (ten rounds of its six streams) and holds
     * every later one until the loop's end has passed. A loop that refills each stream as its answer arrives has then
     * sent exactly 66 (the 60 answered and one more on each stream), all six in flight at once; one that stopped
     * refilling sends fewer, one that went on past its end more. The end is seconds away, so a loaded box has ample
     * time for the sixty 5 ms answers.
     */
    @Test
    void aClosedLoopKeepsItsStreamsBusyUntilTheEnd() throws Exception {
        Flood flood = connect();
        Outcomes outcomes = new Outcomes(Long.MAX_VALUE);
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        holdUntil = end;
        flood.closedLoop(
                1_000_000_000L, 6, end, outcomes, end + TimeUnit.SECONDS.toNanos(10)); // keys 10^9 on: none reset
        flood.close();
        OutcomeFigures summary = outcomes.figures();

        assertEquals(List.of(), List.copyOf(problems));
        assertEquals(LOOP_ANSWERED + 6, summary.sent(), summary.line());
        assertEquals(LOOP_ANSWERED + 6, loopArrivals.get());
        assertEquals(0, summary.refusedErrors());
        assertEquals(0, summary.streamErrors());
        assertEquals(6, peakConcurrency.get());
    }

    private Flood connect() throws Exception {
        return Flood.connect(
                ((VertxInternal) vertx).nettyEventLoopGroup(),
                "127.0.0.1",
                server.actualPort(),
                2,
                FloodRequests.of(new Requests("m-1001"), 6, "127.0.0.1", server.actualPort(), "sk_faults"),
                new FaultDriver.FaultFlag());
    }
}
