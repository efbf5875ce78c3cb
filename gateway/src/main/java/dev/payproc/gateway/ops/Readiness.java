package dev.payproc.gateway.ops;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Ready means: the database answered a ping within the last few seconds, every stage is running, and the
 * processor is not draining. Pinged once a second from a timer, so a readiness check costs nothing.
 */
public final class Readiness {
    private static final long STALE_NANOS = 3_000_000_000L;

    private final BooleanSupplier stagesUp;
    /** One round trip to the database ({@code SELECT 1}); succeeds when it answered. */
    private final Supplier<Future<?>> databasePing;

    private volatile long lastDbOkNanos = System.nanoTime() - STALE_NANOS - 1;
    private long timerId = -1;

    public Readiness(BooleanSupplier stagesUp, Supplier<Future<?>> databasePing) {
        this.stagesUp = stagesUp;
        this.databasePing = databasePing;
    }

    public void start(Vertx vertx) {
        ping();
        timerId = vertx.setPeriodic(1_000, id -> ping());
    }

    public void stop(Vertx vertx) {
        if (timerId >= 0) vertx.cancelTimer(timerId);
    }

    private void ping() {
        databasePing.get().onSuccess(answered -> lastDbOkNanos = System.nanoTime());
    }

    public boolean databaseUp() {
        return System.nanoTime() - lastDbOkNanos < STALE_NANOS;
    }

    public boolean stagesUp() {
        return stagesUp.getAsBoolean();
    }

    public boolean ready() {
        return databaseUp() && stagesUp();
    }
}
