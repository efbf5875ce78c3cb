package dev.payproc.gateway.ops;

import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;

import java.util.function.BooleanSupplier;

/**
 * Ready means: the database answered a ping within the last few seconds, every stage is running, and the
 * processor is not draining. Pinged once a second from a timer, so a readiness check costs nothing.
 */
public final class Readiness {
    private static final long STALE_NANOS = 3_000_000_000L;

    private final BooleanSupplier stagesUp;
    private volatile long lastDbOkNanos = System.nanoTime() - STALE_NANOS - 1;
    private long timerId = -1;

    public Readiness(BooleanSupplier stagesUp) {
        this.stagesUp = stagesUp;
    }

    public void start(Vertx vertx, Pool pool) {
        ping(pool);
        timerId = vertx.setPeriodic(1_000, id -> ping(pool));
    }

    public void stop(Vertx vertx) {
        if (timerId >= 0) vertx.cancelTimer(timerId);
    }

    private void ping(Pool pool) {
        pool.query("SELECT 1").execute().onSuccess(rows -> lastDbOkNanos = System.nanoTime());
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
