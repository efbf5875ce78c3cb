package dev.payproc.core.metrics;

import dev.payproc.core.stage.ThreadOwner;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * One latency figure (a stage, or end to end), recorded wait-free from any thread into an HdrHistogram
 * {@link Recorder}. A single metrics thread calls {@link #roll()} once per interval; quantiles are read
 * from a sliding window of the last {@code windowIntervals} intervals, count and sum since start.
 */
public final class LatencyMetric {
    private static final Histogram EMPTY = new Histogram(3);

    private final String name;
    private final Recorder recorder = new Recorder(3);
    private final Histogram[] ring;
    private final Histogram window = new Histogram(3);
    private final ThreadOwner metricsThread; // the roll's fields (ring, window, totals) are its alone
    private int next;
    private Histogram recycled;
    private long totalCount;
    private double totalSumNanos;
    private volatile Snapshot snapshot;

    /** Quantiles over the window, count and sum since start: what a scrape shows. */
    public record Snapshot(Histogram window, long totalCount, double totalSumNanos) {}

    public LatencyMetric(String name, int windowIntervals) {
        this.name = name;
        this.ring = new Histogram[windowIntervals];
        this.metricsThread = new ThreadOwner("latency metric " + name + "'s window");
        this.snapshot = new Snapshot(new Histogram(3), 0, 0);
    }

    public void recordNanos(long nanos) {
        recorder.recordValue(Math.max(0, nanos));
    }

    /**
     * Metrics thread only: closes the current interval and publishes a new window snapshot. The window is kept
     * running (add the newest second, subtract the one that falls out) rather than re-summed, so a roll costs
     * two histogram passes and a copy, not sixty.
     */
    public void roll() {
        assert metricsThread.isCurrent() : metricsThread;
        // Copied out of the recorder into a plain histogram once: the recorder's own is a ConcurrentHistogram, which
        // takes a reader lock for every count read, so adding and later subtracting it cost two locked passes.
        Histogram interval = recycled != null ? recycled : new Histogram(3);
        recorder.getIntervalHistogramInto(interval);
        Histogram evicted = ring[next];
        window.add(interval);
        if (evicted != null) window.subtract(evicted);
        ring[next] = interval;
        next = (next + 1) % ring.length;
        recycled = evicted;
        totalCount += interval.getTotalCount();
        totalSumNanos += interval.getMean() * interval.getTotalCount();
        snapshot = new Snapshot(window.copy(), totalCount, totalSumNanos);
    }

    public Snapshot snapshot() {
        return snapshot;
    }

    /**
     * Metrics thread only, right after {@link #roll()}: the interval just closed ({@link #roll()} reuses it once it
     * leaves the window, so it must not be kept). Empty before the first roll.
     */
    public Histogram lastInterval() {
        assert metricsThread.isCurrent() : metricsThread;
        Histogram last = ring[(next - 1 + ring.length) % ring.length];
        return last != null ? last : EMPTY;
    }

    public String name() {
        return name;
    }
}
