package dev.payproc.risk;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Recent attempts at one merchant and at each of its terminals, recorded by any risk shard. Terminals are keyed
 * under their merchant: terminal ids are only unique per merchant, and nesting needs no composite key per
 * attempt. Rings start small (most terminals are quiet) and are replaced by a larger copy when they fill
 * within the window below the capacity the rules need; an attempt racing a replacement on another shard is
 * recorded in the ring that won.
 */
final class MerchantActivity {
    private static final int INITIAL_CAPACITY = 8;

    private final AtomicReference<ActivityRing> attempts = new AtomicReference<>(new ActivityRing(INITIAL_CAPACITY));
    private final Map<String, ActivityRing> terminals = new ConcurrentHashMap<>();

    ActivityRing attempts() {
        return attempts.get();
    }

    ActivityRing terminal(String terminalId) {
        ActivityRing r = terminals.get(terminalId);
        if (r != null) return r;
        ActivityRing fresh = new ActivityRing(INITIAL_CAPACITY);
        r = terminals.putIfAbsent(terminalId, fresh);
        return r == null ? fresh : r;
    }

    /** Counts an attempt at the merchant, making room first if the window's events fill the ring. */
    void recordAttempt(ActivityRing ring, long millis, long windowStart, int capacity) {
        ActivityRing grown = grownIfFull(ring, windowStart, capacity);
        if (grown != ring && !attempts.compareAndSet(ring, grown)) grown = attempts.get();
        grown.add(millis);
    }

    /** Counts an attempt at a terminal, as {@link #recordAttempt} does. */
    void recordTerminal(String terminalId, ActivityRing ring, long millis, long windowStart, int capacity) {
        ActivityRing grown = grownIfFull(ring, windowStart, capacity);
        if (grown != ring && !terminals.replace(terminalId, ring, grown)) grown = terminal(terminalId);
        grown.add(millis);
    }

    /** Drops terminals idle up to {@code terminalIdle}; true when the merchant itself can go too. */
    boolean evictIdle(long terminalIdle, long merchantIdle) {
        terminals.values().removeIf(t -> t.lastMillis() <= terminalIdle);
        return terminals.isEmpty() && attempts.get().lastMillis() <= merchantIdle;
    }

    private static ActivityRing grownIfFull(ActivityRing ring, long windowStart, int capacity) {
        int size = ring.capacity();
        if (size >= capacity || ring.countAfter(windowStart) < size) return ring;
        return ring.grownTo(Math.min(capacity, size * 2));
    }
}
