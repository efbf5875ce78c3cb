package dev.payproc.bench.faults;

/**
 * The open model: request {@code i} is due at {@code startNanos + i * intervalNanos}, whatever happened before, and
 * its latency counts from then, so a stall is not hidden by the client slowing down (coordinated omission).
 */
record Schedule(long startNanos, double intervalNanos, long total) {
    static Schedule of(double ratePerSecond, long startNanos, long endNanos) {
        double interval = 1e9 / ratePerSecond;
        return new Schedule(startNanos, interval, (long) ((endNanos - startNanos) / interval));
    }

    /** The last request due by {@code nowNanos} (-1 if none yet). */
    long dueUpTo(long nowNanos) {
        return nowNanos < startNanos ? -1 : (long) ((nowNanos - startNanos) / intervalNanos);
    }

    long intendedNanos(long i) {
        return startNanos + (long) (i * intervalNanos);
    }
}
