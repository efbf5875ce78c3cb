package dev.payproc.gateway.http;

import dev.payproc.core.metrics.LatencyMetric;
import io.vertx.core.Vertx;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * How late the gateway's event loops run: each loop re-arms a 10 ms timer and records how much later than due it
 * fired. A loop that is late by L reads every new request about L late, whatever the cause (its own backlog, a
 * starved CPU, a GC pause), and that wait happens before any handler, so no stage latency shows it.
 */
public final class EventLoopLag {
    static final long PERIOD_MILLIS = 10;
    private static final long PERIOD_NANOS = TimeUnit.MILLISECONDS.toNanos(PERIOD_MILLIS);

    private final LatencyMetric metric;
    private final AtomicLong worstNanos = new AtomicLong();

    public EventLoopLag(LatencyMetric metric) {
        this.metric = metric;
    }

    /** Probes the event loop of the calling context until {@code vertx} closes (timers end with their verticle). */
    public void probe(Vertx vertx) {
        arm(vertx, System.nanoTime() + PERIOD_NANOS);
    }

    private void arm(Vertx vertx, long dueNanos) {
        vertx.setTimer(PERIOD_MILLIS, id -> {
            long now = System.nanoTime();
            record(now - dueNanos);
            arm(vertx, now + PERIOD_NANOS);
        });
    }

    void record(long lateNanos) {
        long late = Math.max(0, lateNanos);
        metric.recordNanos(late);
        worstNanos.accumulateAndGet(late, Math::max);
    }

    /** The worst lag of any loop since the previous call. */
    long takeWorstNanos() {
        return worstNanos.getAndSet(0);
    }
}
