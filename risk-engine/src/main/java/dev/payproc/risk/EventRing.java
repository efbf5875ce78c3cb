package dev.payproc.risk;

/**
 * Recent events, oldest first, in a ring of primitive arrays; for cards each event also carries an amount
 * and packed attributes. Times are clamped to be non-decreasing (a clock stepping back cannot unsort the
 * ring), so a window is counted by binary search and old events expire from the head. The ring starts small
 * and doubles up to a capacity the engine keeps above every count limit in use; when full at that capacity
 * it drops its oldest event, so a count saturates above its limit and the decision stays exact.
 */
public final class EventRing {
    private static final int INITIAL_CAPACITY = 4;

    private long[] at;
    private long[] amount; // null unless the ring carries payloads
    private long[] attrs;
    private int head;
    private int size;

    EventRing(boolean payload) {
        at = new long[INITIAL_CAPACITY];
        if (payload) {
            amount = new long[INITIAL_CAPACITY];
            attrs = new long[INITIAL_CAPACITY];
        }
    }

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
        return at[slot(i)];
    }

    long amount(int i) {
        return amount[slot(i)];
    }

    long attrs(int i) {
        return attrs[slot(i)];
    }

    long lastMillis() {
        return size == 0 ? Long.MIN_VALUE : at(size - 1);
    }

    void expireUpTo(long millis) {
        while (size > 0 && at[head] <= millis) {
            head = slot(1);
            size--;
        }
    }

    void add(long millis, int capacity) {
        add(millis, 0, 0, capacity);
    }

    void add(long millis, long amountValue, long attrValue, int capacity) {
        long t = size == 0 ? millis : Math.max(millis, lastMillis());
        if (size == at.length) {
            if (at.length < capacity) {
                grow(Math.min(capacity, at.length * 2));
            } else {
                head = slot(1);
                size--;
            }
        }
        int s = slot(size);
        at[s] = t;
        if (amount != null) {
            amount[s] = amountValue;
            attrs[s] = attrValue;
        }
        size++;
    }

    private int slot(int i) {
        int s = head + i;
        return s < at.length ? s : s - at.length;
    }

    private void grow(int length) {
        at = linear(at, length);
        if (amount != null) {
            amount = linear(amount, length);
            attrs = linear(attrs, length);
        }
        head = 0;
    }

    private long[] linear(long[] old, int length) {
        long[] out = new long[length];
        int first = Math.min(size, old.length - head);
        System.arraycopy(old, head, out, 0, first);
        System.arraycopy(old, 0, out, first, size - first);
        return out;
    }
}
