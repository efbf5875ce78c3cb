package dev.payproc.core.stage;

import java.util.concurrent.TimeUnit;

/**
 * Backs off through an idle period: up to {@code maxSpins} busy spins (cheapest wake-up, burns its core), then up to
 * {@code maxYields} yields (lets another thread run on the core), then parks, the first time for
 * {@code minParkNanos} and each time after for twice as long, up to {@code maxParkNanos}. Work resets it to spinning.
 * The step of the idle period lives in the instance, so one instance serves one thread (the first to use it;
 * checked when assertions are on).
 */
public final class BackoffIdleStrategy implements IdleStrategy {
    /** The stage default: a short spin to catch a burst's next item, no yields, then parks of 50 ms (or until signalled). */
    public static final int DEFAULT_MAX_SPINS = 64;

    public static final int DEFAULT_MAX_YIELDS = 0;
    public static final long DEFAULT_PARK_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

    /** Where an idle period stands; package-private for tests. */
    enum Step {
        SPINNING,
        YIELDING,
        PARKING
    }

    private final int maxSpins;
    private final int maxYields;
    private final long minParkNanos;
    private final long maxParkNanos;
    private final ThreadOwner thread = new ThreadOwner("a back-off idle strategy");
    private Step step = Step.SPINNING;
    private int spins;
    private int yields;
    private long parkNanos;

    /** The stage default: {@value #DEFAULT_MAX_SPINS} spins, then parks of 50 ms. */
    public BackoffIdleStrategy() {
        this(DEFAULT_MAX_SPINS, DEFAULT_MAX_YIELDS, DEFAULT_PARK_NANOS, DEFAULT_PARK_NANOS);
    }

    public BackoffIdleStrategy(int maxSpins, int maxYields, long minParkNanos, long maxParkNanos) {
        if (maxSpins < 0 || maxYields < 0) throw new IllegalArgumentException("spins and yields must not be negative");
        if (minParkNanos < 1 || maxParkNanos < minParkNanos) {
            throw new IllegalArgumentException("need 0 < minParkNanos <= maxParkNanos");
        }
        this.maxSpins = maxSpins;
        this.maxYields = maxYields;
        this.minParkNanos = minParkNanos;
        this.maxParkNanos = maxParkNanos;
        this.parkNanos = minParkNanos; // not reset(): the thread that builds it need not be the one that idles
    }

    @Override
    public void idle(Parker parker) {
        assert thread.isCurrent() : thread;
        if (step == Step.SPINNING) {
            if (spins < maxSpins) {
                spins++;
                Thread.onSpinWait();
                return;
            }
            step = Step.YIELDING;
        }
        if (step == Step.YIELDING) {
            if (yields < maxYields) {
                yields++;
                Thread.yield();
                return;
            }
            step = Step.PARKING;
        }
        parker.park(parkNanos);
        parkNanos = parkNanos > maxParkNanos / 2 ? maxParkNanos : parkNanos << 1; // doubled without overflow
    }

    @Override
    public void reset() {
        assert thread.isCurrent() : thread;
        step = Step.SPINNING;
        spins = 0;
        yields = 0;
        parkNanos = minParkNanos;
    }

    Step step() {
        return step;
    }
}
