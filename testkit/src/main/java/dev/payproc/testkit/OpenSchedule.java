package dev.payproc.testkit;

/**
 * The open model every load driver paces by: request {@code i} is due at {@code startNanos + i * intervalNanos},
 * whatever happened before, and its latency counts from then, so a stall is not hidden by the client slowing down
 * (coordinated omission).
 */
public record OpenSchedule(long startNanos, double intervalNanos, long total) {
    /** {@code ratePerSecond} from {@code startNanos} until {@code endNanos} (the requests due before it). */
    public static OpenSchedule of(double ratePerSecond, long startNanos, long endNanos) {
        double interval = 1e9 / ratePerSecond;
        return new OpenSchedule(startNanos, interval, (long) ((endNanos - startNanos) / interval));
    }

    /** The last request due by {@code nowNanos} (-1 if none yet). */
    public long dueUpTo(long nowNanos) {
        return nowNanos < startNanos ? -1 : (long) ((nowNanos - startNanos) / intervalNanos);
    }

    public long intendedNanos(long i) {
        return startNanos + (long) (i * intervalNanos);
    }
}
