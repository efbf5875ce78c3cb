package dev.payproc.bench.faults;

import dev.payproc.bench.faults.verdict.FloodFigures;
import dev.payproc.bench.faults.verdict.LoadFigures;
import dev.payproc.bench.faults.verdict.ProbeFigures;
import dev.payproc.bench.faults.verdict.RetryFigures;
import dev.payproc.testkit.H2c;
import dev.payproc.testkit.OpenSchedule;
import io.netty.handler.codec.http2.Http2Connection;
import io.netty.handler.codec.http2.Http2ConnectionHandler;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.net.impl.ConnectionBase;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntConsumer;
import java.util.function.Supplier;

/**
 * Load under fault injection for {@code scripts/faults.sh}: HTTP/2 cleartext (prior knowledge)
 * {@code POST /v1/authorizations}, a fresh Idempotency-Key and card per request ({@link Requests}), every
 * outcome written to a TSV file for the audit ({@link Outcomes}).
 * <pre>
 *   load  phase=N out=FILE duration=S (rate=R | streams=N) [warmup=S] [flag=FILE] [connections=8]
 *         open model at R requests/s (latency from each request's intended send time, so a stall is not hidden
 *         by the client slowing down), or closed loop with N requests in flight. While FILE exists the fault is
 *         on ("degraded"): those requests get their own latency histogram, readiness is sampled, and the time from
 *         its removal to the first 201 is measured. warmup=S runs a closed loop of 16 streams first (see warmUp).
 *         probe=S factor=F (instead of rate): after the warm-up, S seconds of closed loop (streams) measure the
 *         maximum, then the open model offers F times it, in the same warm JVM (a fresh one measures its own JIT).
 *         sender=flood: every phase (warm-up, probe, load) goes out through {@link Flood} (Netty's HTTP/2 codec, a
 *         fraction of the Vert.x client's CPU per request) on as many connections; it neither reconnects nor
 *         retries, so it is for overload, not for the crash scenarios.
 *   retry phase=N out=FILE in=FILE[,FILE...] [rounds=10] [streams=64]
 *         resends, with the same key and body, every request whose last outcome was no answer or a 5xx, in rounds
 *         one second apart until none is left.
 *   common: host=127.0.0.1 port=18090 key=sk_faults merchant=m-1001
 * </pre>
 * Prints one line {@code RESULT k=v ...}, its {@link LoadFigures} or {@link RetryFigures}; exits 2 on bad arguments.
 */
public final class FaultDriver {
    private static final CharSequence IDEMPOTENCY_KEY = HttpHeaders.createOptimized("idempotency-key");
    /** A request unanswered this long is a hang; it fails and is recorded as such (its latency shows it). */
    private static final long REQUEST_TIMEOUT_MILLIS = 10_000;

    private static final long DRAIN_NANOS = TimeUnit.SECONDS.toNanos(15);

    /** Whether the fault is on, from the flag file scripts/faults.sh creates and removes. */
    static final class FaultFlag {
        private volatile boolean degraded;
        private volatile long since;
        private volatile long clearedAt;

        void observe(boolean on) {
            if (on == degraded) return;
            if (on) since = System.nanoTime();
            else clearedAt = System.nanoTime();
            degraded = on;
        }

        boolean degraded() {
            return degraded;
        }

        long since() {
            return since;
        }

        /** When the fault last ended (System.nanoTime), 0 if it never did. */
        long clearedAt() {
            return clearedAt;
        }
    }

    private final Map<String, String> args;
    private final Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));
    private final HttpClientAgent client;
    private final RequestOptions post;
    private final String merchant;
    private final Requests requests;
    private final FaultFlag fault = new FaultFlag();
    /** The sender of every load phase with sender=flood, else null (the Vert.x client sends). */
    private Flood flood;

    private final AtomicInteger inFlight = new AtomicInteger();
    /** Netty's HTTP/2 state of each connection, for the GOAWAYs Vert.x does not report (see lastStreamProcessed). */
    private final Map<HttpConnection, Http2Connection> http2 = new ConcurrentHashMap<>();

    private FaultDriver(Map<String, String> args) {
        this.args = args;
        this.merchant = arg("merchant", "m-1001");
        this.requests = new Requests(merchant);
        this.client = vertx.httpClientBuilder()
                .with(H2c.priorKnowledge()
                        .setDefaultHost(arg("host", "127.0.0.1"))
                        .setDefaultPort(intArg("port", 18090)))
                .with(new PoolOptions()
                        .setHttp2MaxSize(intArg("connections", 8))
                        .setEventLoopSize(2))
                .withConnectHandler(this::track)
                .build();
        this.post = new RequestOptions()
                .setMethod(HttpMethod.POST)
                .setURI("/v1/authorizations")
                .setConnectTimeout(REQUEST_TIMEOUT_MILLIS)
                .setIdleTimeout(REQUEST_TIMEOUT_MILLIS)
                .putHeader(HttpHeaders.AUTHORIZATION, "Bearer " + arg("key", "sk_faults"))
                .putHeader(HttpHeaders.CONTENT_TYPE, "application/json");
    }

    public static void main(String[] argv) throws Exception {
        Map<String, String> args = new HashMap<>();
        for (int i = 1; i < argv.length; i++) {
            int eq = argv[i].indexOf('=');
            if (eq > 0) args.put(argv[i].substring(0, eq), argv[i].substring(eq + 1));
        }
        String command = argv.length > 0 ? argv[0] : "";
        if (!command.equals("load") && !command.equals("retry")
                || !args.containsKey("phase")
                || !args.containsKey("out")) {
            System.err.println("usage: FaultDriver load|retry phase=N out=FILE ... (see the class comment)");
            System.exit(2);
        }
        FaultDriver driver = new FaultDriver(args);
        try {
            System.out.println("RESULT " + (command.equals("load") ? driver.load() : driver.retry()));
        } finally {
            driver.client.close().await(5, TimeUnit.SECONDS);
            driver.vertx.close().await(5, TimeUnit.SECONDS);
        }
        System.exit(0);
    }

    private String load() throws Exception {
        int phase = intArg("phase", 0);
        if (args.containsKey("flag")) {
            Path flag = Path.of(args.get("flag"));
            vertx.setPeriodic(20, id -> fault.observe(Files.exists(flag)));
        }
        String host = arg("host", "127.0.0.1");
        int port = intArg("port", 18090);
        // On the Vert.x client's own event loops, so that LoopLag measures the loops that send.
        if (arg("sender", "vertx").equals("flood")) {
            flood = Flood.connect(
                    ((VertxInternal) vertx).nettyEventLoopGroup(),
                    host,
                    port,
                    intArg("connections", 8),
                    FloodRequests.of(requests, phase, host, port, arg("key", "sk_faults")),
                    fault);
        }
        LoopLag loopLag = new LoopLag(vertx, 2);
        Outcomes warm = warmUp(phase, intArg("warmup", 0));
        double rate = Double.parseDouble(arg("rate", "0"));
        ProbeFigures probed = null;
        Outcomes probe = null;
        if (args.containsKey("probe")) {
            probe = closedLoop(phase, 2_000_000_000L, intArg("streams", 256), intArg("probe", 10));
            rate = Double.parseDouble(arg("factor", "2")) * probe.createdPerSecond();
            probed = new ProbeFigures(Math.round(probe.createdPerSecond()), Math.round(rate));
        }
        loopLag.reset();
        long cpuStart = processCpuNanos();
        long start = System.nanoTime();
        long end = start + TimeUnit.SECONDS.toNanos(intArg("duration", 10));
        Outcomes outcomes = new Outcomes(start + (end - start) / 3);
        Monitor monitor = new Monitor(vertx, host, port, fault);
        monitor.start();
        CountDownLatch generators = new CountDownLatch(0);
        FloodFigures flooded = null;
        if (flood != null && rate > 0) {
            flooded = flood.open(OpenSchedule.of(rate, start, end), outcomes, end + DRAIN_NANOS);
        } else if (flood != null) {
            flood.closedLoop(0, intArg("streams", 256), end, outcomes, end + DRAIN_NANOS);
        } else if (rate > 0) {
            generators = new CountDownLatch(1);
            open(phase, OpenSchedule.of(rate, start, end), outcomes, generators);
        } else {
            int streams = intArg("streams", 256);
            generators = new CountDownLatch(streams);
            AtomicLong seq = new AtomicLong();
            Supplier<String> keys = () -> System.nanoTime() < end ? Requests.key(phase, seq.getAndIncrement()) : null;
            for (int s = 0; s < streams; s++) loop(keys, 0, outcomes, generators);
        }
        awaitAll(generators, end + DRAIN_NANOS);
        long cpuNanos = processCpuNanos() - cpuStart;
        double driverCores = cpuNanos / (double) (System.nanoTime() - start);
        loopLag.stop();
        monitor.stop().await(5, TimeUnit.SECONDS);
        if (flood != null) flood.close();
        outcomes.write(Path.of(args.get("out")));
        warm.append(Path.of(args.get("out")));
        if (probe != null) probe.append(Path.of(args.get("out")));
        outcomes.examples().forEach((kind, example) -> System.out.println("first " + kind + ": " + example));
        return new LoadFigures(
                        outcomes.figures(),
                        monitor.figures(),
                        inFlight.get(),
                        flooded,
                        probed,
                        driverCores,
                        cpuNanos / 1e3 / Math.max(1, outcomes.sent()),
                        loopLag.p99Millis())
                .line();
    }

    /**
     * A closed loop of 16 streams first: a cold client sends its first requests seconds late (JIT, connection set-up),
     * which the open model would charge to the server. Its requests are real (keys from 10^9 on) and audited too.
     */
    private Outcomes warmUp(int phase, int seconds) throws Exception {
        return closedLoop(phase, 1_000_000_000L, 16, seconds);
    }

    /** A closed loop of {@code streams} for {@code seconds}, keys from {@code firstKey} on (apart from the measured ones). */
    private Outcomes closedLoop(int phase, long firstKey, int streams, int seconds) throws Exception {
        Outcomes outcomes = new Outcomes(Long.MAX_VALUE);
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        if (flood != null) {
            flood.closedLoop(firstKey, streams, end, outcomes, end + DRAIN_NANOS);
            return outcomes;
        }
        AtomicLong seq = new AtomicLong(firstKey);
        Supplier<String> keys = () -> System.nanoTime() < end ? Requests.key(phase, seq.getAndIncrement()) : null;
        CountDownLatch loops = new CountDownLatch(streams);
        for (int s = 0; s < streams; s++) loop(keys, 0, outcomes, loops);
        awaitAll(loops, end + DRAIN_NANOS);
        return outcomes;
    }

    /** The open model through the Vert.x client. */
    private void open(int phase, OpenSchedule schedule, Outcomes outcomes, CountDownLatch done) {
        long total = schedule.total();
        long[] next = {0}; // only touched by the timer, which always runs on the same event loop
        vertx.setPeriodic(1, id -> {
            long due = Math.min(total, schedule.dueUpTo(System.nanoTime()) + 1);
            for (; next[0] < due; next[0]++) {
                send(Requests.key(phase, next[0]), 0, schedule.intendedNanos(next[0]), outcomes, status -> {});
            }
            if (next[0] >= total) {
                vertx.cancelTimer(id);
                done.countDown();
            }
        });
    }

    private String retry() throws Exception {
        Map<String, String[]> last = new HashMap<>();
        for (String file : args.get("in").split(",")) {
            for (String line : Files.readAllLines(Path.of(file))) {
                String[] f = line.split("\t", -1);
                String[] before = last.get(f[0]);
                if (before == null || Integer.parseInt(f[6]) >= Integer.parseInt(before[6])) last.put(f[0], f);
            }
        }
        List<String> pending = new ArrayList<>();
        last.forEach((key, f) -> {
            int status = Integer.parseInt(f[1]);
            if (status == 0 || status >= 500) pending.add(key);
        });
        Outcomes outcomes = new Outcomes(Long.MAX_VALUE);
        int round = 0;
        List<String> todo = pending;
        while (!todo.isEmpty() && round < intArg("rounds", 10)) {
            if (round++ > 0) Thread.sleep(1_000);
            List<String> current = todo;
            List<String> failed = new ArrayList<>();
            AtomicInteger next = new AtomicInteger();
            Supplier<String> keys = () -> {
                int i = next.getAndIncrement();
                return i < current.size() ? current.get(i) : null;
            };
            int streams = intArg("streams", 64);
            CountDownLatch loops = new CountDownLatch(streams);
            for (int s = 0; s < streams; s++) loop(keys, round, outcomes, loops, failed);
            awaitAll(loops, System.nanoTime() + DRAIN_NANOS * 4);
            todo = failed;
        }
        outcomes.write(Path.of(args.get("out")));
        outcomes.examples().forEach((kind, example) -> System.out.println("first " + kind + ": " + example));
        return new RetryFigures(pending.size(), round, todo.size(), outcomes.figures()).line();
    }

    private void loop(Supplier<String> keys, int attempt, Outcomes outcomes, CountDownLatch done) {
        loop(keys, attempt, outcomes, done, null);
    }

    /** One stream of a closed loop: the next request when the previous one finished; a pause after a transport error. */
    private void loop(Supplier<String> keys, int attempt, Outcomes outcomes, CountDownLatch done, List<String> failed) {
        String key = keys.get();
        if (key == null) {
            done.countDown();
            return;
        }
        send(key, attempt, System.nanoTime(), outcomes, status -> {
            if (failed != null && (status == 0 || status >= 500)) {
                synchronized (failed) {
                    failed.add(key);
                }
            }
            if (status == 0) vertx.setTimer(20, id -> loop(keys, attempt, outcomes, done, failed));
            else loop(keys, attempt, outcomes, done, failed);
        });
    }

    private void send(String key, int attempt, long intended, Outcomes outcomes, IntConsumer then) {
        inFlight.incrementAndGet();
        boolean degraded = fault.degraded();
        Buffer body = Buffer.buffer(requests.body(key));
        client.request(post).onComplete(ar -> {
            if (ar.failed()) {
                finish(key, attempt, intended, degraded, outcomes, then, 0, null, false, "refused", ar.cause());
                return;
            }
            HttpClientRequest req = ar.result();
            // The idle timeout starts only once the request is written: one caught on a connection that closes
            // before that would wait forever. Reset, it fails, and lost() tells whether it ever went out.
            long deadline = vertx.setTimer(
                    REQUEST_TIMEOUT_MILLIS, id -> req.reset(0, new TimeoutException("no answer in time")));
            req.putHeader(IDEMPOTENCY_KEY, key).send(body).onComplete(rs -> {
                if (rs.failed()) {
                    vertx.cancelTimer(deadline);
                    finish(key, attempt, intended, degraded, outcomes, then, 0, null, false, lost(req), rs.cause());
                    return;
                }
                HttpClientResponse r = rs.result();
                r.body().onComplete(b -> {
                    vertx.cancelTimer(deadline);
                    finish(
                            key,
                            attempt,
                            intended,
                            degraded,
                            outcomes,
                            then,
                            b.succeeded() ? r.statusCode() : 0,
                            b.succeeded() ? b.result().toString() : null,
                            r.headers().contains("Retry-After"),
                            lost(req),
                            b.cause());
                });
            });
        });
    }

    /**
     * A failed request whose stream was never opened (nothing went on the wire), or was opened above the last
     * stream id of the server's GOAWAY, was not processed (RFC 9113 6.8), like a refused connection; any other
     * failure after sending leaves the request in doubt.
     */
    private String lost(HttpClientRequest req) {
        int id = streamId(req);
        if (id < 0) return "refused";
        int last = lastStreamProcessed(req.connection());
        return last >= 0 && id > last ? "refused" : "stream";
    }

    /** The request's HTTP/2 stream id, or -1 if it never got one (Vert.x 5.0 then throws instead of answering -1). */
    private static int streamId(HttpClientRequest req) {
        try {
            return req.streamId();
        } catch (NullPointerException noStream) {
            return -1;
        }
    }

    /**
     * The last stream id of the newest GOAWAY the server sent on this connection, or -1 if none. Read from Netty's
     * view of the connection (kept from the connect, as a closed channel's pipeline is emptied): Vert.x's
     * {@code goAwayHandler} reports only a connection's first GOAWAY, and the processor's first one is its shutdown
     * notice naming 2^31-1, so the streams its final GOAWAY refused would count as in doubt.
     */
    private int lastStreamProcessed(HttpConnection conn) {
        Http2Connection h2 = http2.get(conn);
        return h2 != null && h2.goAwayReceived() ? h2.local().lastStreamKnownByPeer() : -1;
    }

    private void track(HttpConnection conn) {
        if (conn instanceof ConnectionBase base) {
            Http2ConnectionHandler handler = base.channel().pipeline().get(Http2ConnectionHandler.class);
            if (handler != null) http2.put(conn, handler.connection());
        }
    }

    private void finish(
            String key,
            int attempt,
            long intended,
            boolean degraded,
            Outcomes outcomes,
            IntConsumer then,
            int status,
            String body,
            boolean retryAfter,
            String transport,
            Throwable failure) {
        outcomes.record(
                key, attempt, intended, degraded, fault.clearedAt(), status, body, retryAfter, transport, failure);
        inFlight.decrementAndGet();
        then.accept(status);
    }

    /** Until every generator has finished and every request it sent is answered or failed, or the deadline. */
    private void awaitAll(CountDownLatch generators, long deadlineNanos) throws InterruptedException {
        generators.await(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
        while (inFlight.get() > 0 && System.nanoTime() < deadlineNanos) Thread.sleep(20);
    }

    /** This driver's own CPU: on a shared box a saturated client shows up as the server's latency. */
    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    private String arg(String name, String fallback) {
        return args.getOrDefault(name, fallback);
    }

    private int intArg(String name, int fallback) {
        return Integer.parseInt(arg(name, Integer.toString(fallback)));
    }
}
