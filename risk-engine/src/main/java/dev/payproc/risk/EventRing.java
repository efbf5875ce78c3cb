package dev.payproc.risk;

/**
 * A card's recent attempts, oldest first, in a ring over one primitive array: each event's time, amount and
 * packed attributes are interleaved, so one card's attempts share cache lines and one array header. Times are clamped to be non-decreasing (a clock stepping back cannot unsort the ring), so a window is
 * counted by binary search and old events expire from the head. The ring starts small and doubles up to a
 * capacity the engine keeps above every count limit in use; when full at that capacity it drops its oldest
 * event, so a count saturates above its limit and the decision stays exact.
 */
public final class EventRing {
    /** Most cards pay once or twice a day, and there are millions of them. */
    private static final int INITIAL_CAPACITY = 1;
    /** Longs per event: the time, the amount and the attributes. */
    private static final int STRIDE = 3;

    private long[] events = new long[INITIAL_CAPACITY * STRIDE];
    /** The array index of the oldest event. */
    private int head;

    private int size;

    public int size() {
        return size;
    }

    /** Events strictly after {@code millis}. */
    public int countAfter(long millis) {
        return size - firstAfter(millis);
    }

    /** The index (0 = oldest) of the first event strictly after {@code millis}, or {@code size()} if none. */
    public int firstAfter(long millis) {
        int lo = 0;
        int hi = size;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (at(mid) <= millis) lo = mid + 1;
            else hi = mid;
        }
        return lo;
    }

    public long at(int i) {
        return events[slot(i)];
    }

    long amount(int i) {
        return events[slot(i) + 1];
    }

    long attrs(int i) {
        return events[slot(i) + 2];
    }

    long lastMillis() {
        return size == 0 ? Long.MIN_VALUE : at(size - 1);
    }

    void expireUpTo(long millis) {
        while (size > 0 && events[head] <= millis) {
            head = slot(1);
            size--;
        }
    }

    void add(long millis, long amountValue, long attrValue, int capacity) {
        long t = size == 0 ? millis : Math.max(millis, lastMillis());
        if (size * STRIDE == events.length) {
            if (size < capacity) {
                grow(Math.min(capacity, size * 2));
            } else {
                head = slot(1);
                size--;
            }
        }
        int s = slot(size);
        events[s] = t;
        events[s + 1] = amountValue;
        events[s + 2] = attrValue;
        size++;
    }

    /** The array index of event {@code i}. */
    private int slot(int i) {
        int s = head + i * STRIDE;
        return s < events.length ? s : s - events.length;
    }

    private void grow(int capacity) {
        long[] out = new long[capacity * STRIDE];
        int used = size * STRIDE;
        int first = Math.min(used, events.length - head);
        System.arraycopy(events, head, out, 0, first);
        System.arraycopy(events, 0, out, first, used - first);
        events = out;
        head = 0;
    }
}
