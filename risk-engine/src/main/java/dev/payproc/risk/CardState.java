package dev.payproc.risk;

/**
 * What the engine remembers of one card: the times of its latest attempts in a ring, enough to count
 * attempts within the velocity window. Owned by the risk thread only.
 */
public final class CardState {
    private final long[] attemptMillis;
    private int next;
    private int size;

    CardState(int capacity) {
        this.attemptMillis = new long[capacity];
    }

    /** Attempts strictly after {@code sinceMillis} (saturates at the ring's capacity). */
    public int attemptsSince(long sinceMillis) {
        int n = 0;
        for (int i = 0; i < size; i++) {
            if (attemptMillis[i] > sinceMillis) n++;
        }
        return n;
    }

    void recordAttempt(long nowMillis) {
        attemptMillis[next] = nowMillis;
        next = (next + 1) % attemptMillis.length;
        if (size < attemptMillis.length) size++;
    }

    long lastAttemptMillis() {
        return size == 0 ? Long.MIN_VALUE : attemptMillis[(next - 1 + attemptMillis.length) % attemptMillis.length];
    }
}
