package dev.payproc.bench.faults;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * How late the driver's own event loops run a 10 ms timer. A client whose loops run late sends its requests and
 * reads their answers late, and that delay counts as the processor's latency; on a box the driver shares with
 * the processor and PostgreSQL this tells when the client, not the processor, is what saturated.
 */
final class LoopLag {
    private static final long PERIOD_MILLIS = 10;
    private final Histogram lagMicros = new Histogram(TimeUnit.MINUTES.toMicros(1), 2);
    private volatile boolean stopped;

    /** Probes {@code loops} event-loop contexts of {@code vertx} (each new context takes the next loop). */
    LoopLag(Vertx vertx, int loops) {
        for (int i = 0; i < loops; i++) {
            Context context = vertx.getOrCreateContext();
            context.runOnContext(v -> arm(vertx, System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(PERIOD_MILLIS)));
        }
    }

    private void arm(Vertx vertx, long dueNanos) {
        if (stopped) return;
        vertx.setTimer(PERIOD_MILLIS, id -> {
            long now = System.nanoTime();
            record(Math.max(0, now - dueNanos) / 1000);
            arm(vertx, now + TimeUnit.MILLISECONDS.toNanos(PERIOD_MILLIS));
        });
    }

    private synchronized void record(long micros) {
        lagMicros.recordValue(Math.min(micros, lagMicros.getHighestTrackableValue()));
    }

    /** Forgets the warm-up. */
    synchronized void reset() {
        lagMicros.reset();
    }

    synchronized double p99Millis() {
        return lagMicros.getValueAtPercentile(99) / 1000.0;
    }

    void stop() {
        stopped = true;
    }
}
