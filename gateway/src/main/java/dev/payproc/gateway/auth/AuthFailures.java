package dev.payproc.gateway.auth;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Failed authentications per client address, in fixed windows: beyond {@link #LIMIT} in a window, an address gets
 * no more key lookups until the window ends. Bounded: past {@link #MAX_ADDRESSES} the map starts over, so a flood
 * of addresses costs memory once and never grows it.
 */
final class AuthFailures {
    static final int LIMIT = 20;
    static final long WINDOW_NANOS = 10_000_000_000L;
    static final int MAX_ADDRESSES = 10_000;

    private record Window(long startNanos, int failures) {}

    private final Map<String, Window> windows = new ConcurrentHashMap<>();
    private final LongSupplier nanoClock;

    AuthFailures(LongSupplier nanoClock) {
        this.nanoClock = nanoClock;
    }

    /** Whether {@code address} has used up its failures in the current window. */
    boolean throttled(String address) {
        Window w = windows.get(address);
        return w != null && w.failures >= LIMIT && nanoClock.getAsLong() - w.startNanos < WINDOW_NANOS;
    }

    /** Seconds until {@code address} may try again (at least 1). */
    long retryAfterSeconds(String address) {
        Window w = windows.get(address);
        long left = w == null ? 0 : WINDOW_NANOS - (nanoClock.getAsLong() - w.startNanos);
        return Math.max(1, (left + 999_999_999L) / 1_000_000_000L);
    }

    void failed(String address) {
        if (windows.size() >= MAX_ADDRESSES && !windows.containsKey(address)) windows.clear();
        long now = nanoClock.getAsLong();
        windows.compute(
                address,
                (a, w) -> w == null || now - w.startNanos >= WINDOW_NANOS
                        ? new Window(now, 1)
                        : new Window(w.startNanos, w.failures + 1));
    }

    int addresses() {
        return windows.size();
    }
}
