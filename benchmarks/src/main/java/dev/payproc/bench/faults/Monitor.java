package dev.payproc.bench.faults;

import dev.payproc.bench.faults.verdict.HeapFigures;
import dev.payproc.bench.faults.verdict.MonitorFigures;
import dev.payproc.testkit.H2c;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Polls {@code /health/ready} and {@code /metrics} twice a second on a connection of its own (so that it never
 * waits behind the load's queued requests): readiness while the fault lasts and after it, and the peaks of the heap (used, and
 * held: in use after a collection),
 * of the admitted requests in flight and of the processor's own end-to-end p99 (which, unlike the client's, leaves
 * out the time a request waits before the processor's handler even sees it).
 */
final class Monitor {
    /**
     * Readiness trusts a database ping for 3 s and pings once a second, and stopping the database takes up to a
     * second: samples this soon after the fault began are not judged, nor those in the last second before it ended
     * (the database may already answer before the script notices).
     */
    private static final long READY_GRACE_NANOS = TimeUnit.SECONDS.toNanos(5);

    private static final long READY_END_NANOS = TimeUnit.SECONDS.toNanos(1);

    /** The processor's own end-to-end p99 (from its handler to the answer, over the last 60 s), in seconds. */
    private static final String SERVER_P99 = "payproc_stage_latency_seconds{stage=\"end_to_end\",quantile=\"0.99\"} ";

    private final Vertx vertx;
    private final HttpClientAgent client;
    private final FaultDriver.FaultFlag fault;
    private long timer = -1;
    private volatile boolean
            stopped; // a tick already queued when the timer is cancelled must not use the closed client
    private final List<long[]> degradedReadiness = new ArrayList<>(); // {nanoTime, status} while the fault is on
    private long readyBackMillis = -1;
    private long heapPeak;
    private long heapLivePeak;
    private long heapMax;
    private long inFlightPeak;
    private double serverP99Peak;

    Monitor(Vertx vertx, String host, int port, FaultDriver.FaultFlag fault) {
        this.vertx = vertx;
        this.fault = fault;
        this.client = vertx.createHttpClient(
                H2c.priorKnowledge().setDefaultHost(host).setDefaultPort(port), new PoolOptions().setHttp2MaxSize(1));
    }

    void start() {
        timer = vertx.setPeriodic(500, id -> poll());
    }

    Future<Void> stop() {
        stopped = true;
        vertx.cancelTimer(timer);
        return client.close();
    }

    private void poll() {
        if (stopped) return;
        get("/health/ready").onComplete(ar -> readiness(ar.succeeded() ? ar.result().status : 0));
        get("/metrics").onSuccess(r -> metrics(r.body));
    }

    private synchronized void readiness(int status) {
        long now = System.nanoTime();
        if (fault.degraded()) {
            degradedReadiness.add(new long[] {now, status});
        } else if (fault.clearedAt() != 0 && status == 200 && readyBackMillis < 0) {
            readyBackMillis = (now - fault.clearedAt()) / 1_000_000;
        }
    }

    private synchronized void metrics(String metrics) {
        for (String line : metrics.split("\n")) {
            if (line.startsWith("jvm_memory_used_bytes{area=\"heap\"} ")) heapPeak = Math.max(heapPeak, value(line));
            else if (line.startsWith("jvm_memory_used_after_gc_bytes{area=\"heap\"} "))
                heapLivePeak = Math.max(heapLivePeak, value(line));
            else if (line.startsWith("jvm_memory_max_bytes{area=\"heap\"} ")) heapMax = value(line);
            else if (line.startsWith("payproc_in_flight ")) inFlightPeak = Math.max(inFlightPeak, value(line));
            else if (line.startsWith(SERVER_P99))
                serverP99Peak = Math.max(serverP99Peak, Double.parseDouble(line.substring(SERVER_P99.length())));
        }
    }

    private static long value(String line) {
        return (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
    }

    /** Readiness: 503 answers of the samples while the fault lasted (but for its edges), and fault cleared -> 200. */
    synchronized MonitorFigures figures() {
        long from = fault.since() + READY_GRACE_NANOS;
        long to = fault.degraded() ? Long.MAX_VALUE : fault.clearedAt() - READY_END_NANOS;
        long samples = 0;
        long down503 = 0;
        for (long[] s : degradedReadiness) {
            if (s[0] < from || s[0] > to) continue;
            samples++;
            if (s[1] == 503) down503++;
        }
        return new MonitorFigures(
                down503,
                samples,
                readyBackMillis,
                new HeapFigures(heapPeak >> 20, heapLivePeak >> 20, heapMax >> 20),
                inFlightPeak,
                serverP99Peak * 1000);
    }

    private record Answer(int status, String body) {}

    private Future<Answer> get(String path) {
        return client.request(new RequestOptions()
                        .setMethod(HttpMethod.GET)
                        .setURI(path)
                        .setIdleTimeout(2_000))
                .compose(req ->
                        req.send().compose(res -> res.body().map(b -> new Answer(res.statusCode(), b.toString()))));
    }
}
