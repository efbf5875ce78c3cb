package dev.payproc.risk;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Recent attempt times at one terminal or merchant, recorded by every risk shard without a lock: an attempt
 * claims the next sequence number, then writes its time and that number into the slot it maps to. Counting a
 * window binary-searches the newest events in claim order. A slot claimed but not yet written is an attempt
 * being decided right now on another shard, so it counts as inside every window; with one shard, or attempts
 * in sequence, counts are exact. Past its capacity the ring overwrites its oldest event, so a count saturates
 * at the capacity, which the engine keeps above every limit in use.
 */
public final class ActivityRing {
    /** Longs per slot: the time, then the sequence number that wrote it. */
    private static final int STRIDE = 2;

    private final int capacity;
    private final AtomicLongArray slots;
    private final AtomicLong claimed = new AtomicLong();

    ActivityRing(int capacity) {
        this.capacity = capacity;
        this.slots = new AtomicLongArray(capacity * STRIDE);
        for (int i = 0; i < capacity; i++) slots.set(i * STRIDE + 1, -1); // no sequence wrote it yet
    }

    int capacity() {
        return capacity;
    }

    void add(long millis) {
        long seq = claimed.getAndIncrement();
        int at = index(seq);
        slots.setPlain(at, millis);
        slots.setRelease(at + 1, seq);
    }

    /** Events strictly after {@code millis}, up to the capacity. */
    public int countAfter(long millis) {
        long end = claimed.get();
        int n = (int) Math.min(end, capacity);
        int lo = 0;
        int hi = n;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (timeOf(end - n + mid) <= millis) lo = mid + 1;
            else hi = mid;
        }
        return n - lo;
    }

    long lastMillis() {
        long end = claimed.get();
        return end == 0 ? Long.MIN_VALUE : timeOf(end - 1);
    }

    /** A larger ring holding this one's events, oldest first. */
    ActivityRing grownTo(int newCapacity) {
        ActivityRing out = new ActivityRing(newCapacity);
        long end = claimed.get();
        for (long seq = Math.max(0, end - capacity); seq < end; seq++) out.add(timeOf(seq));
        return out;
    }

    /** The time of event {@code seq}; {@code Long.MAX_VALUE} while its writer has claimed but not written it. */
    private long timeOf(long seq) {
        int at = index(seq);
        if (slots.getAcquire(at + 1) != seq) return Long.MAX_VALUE;
        return slots.getPlain(at);
    }

    private int index(long seq) {
        return (int) (seq % capacity) * STRIDE;
    }
}
