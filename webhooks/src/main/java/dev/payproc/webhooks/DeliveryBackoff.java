package dev.payproc.webhooks;

import java.util.function.LongUnaryOperator;

/**
 * When a failed event is tried again: exponential with full jitter (a uniform delay in [0, min(cap, base * 2^(n-1))]
 * after the n-th failure), so endpoints failing together do not retry together. After {@code maxAttempts} failures
 * the event is parked and its endpoint goes on with the next one.
 */
public record DeliveryBackoff(long baseMillis, long capMillis, int maxAttempts) {
    public DeliveryBackoff {
        if (baseMillis < 1) throw new IllegalArgumentException("WEBHOOK_BACKOFF_BASE_MS must be at least 1");
        if (capMillis < baseMillis)
            throw new IllegalArgumentException("WEBHOOK_BACKOFF_CAP_MS must be at least WEBHOOK_BACKOFF_BASE_MS");
        if (maxAttempts < 1) throw new IllegalArgumentException("WEBHOOK_MAX_ATTEMPTS must be at least 1");
    }

    /** Whether the {@code attempt}-th failure (1 = the first) parks the event instead of retrying it. */
    public boolean parks(int attempt) {
        return attempt >= maxAttempts;
    }

    /** The largest delay after the {@code attempt}-th failure: the base doubled per failure, at most the cap. */
    public long ceilingMillis(int attempt) {
        int doublings = Math.min(Math.max(attempt - 1, 0), 62);
        long ceiling = baseMillis << doublings;
        return ceiling <= 0 || ceiling > capMillis || (ceiling >> doublings) != baseMillis ? capMillis : ceiling;
    }

    /**
     * The delay after the {@code attempt}-th failure; {@code uniform} gives a uniform value in [0, bound] for a bound
     * (a random source in use, a fixed one in tests).
     */
    public long delayMillis(int attempt, LongUnaryOperator uniform) {
        long ceiling = ceilingMillis(attempt);
        long d = uniform.applyAsLong(ceiling);
        if (d < 0 || d > ceiling) throw new IllegalStateException("the jitter source went out of [0, " + ceiling + "]");
        return d;
    }
}
