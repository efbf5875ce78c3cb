package dev.payproc.core.stage;

/**
 * What a {@link StageThread} does in a round that found no work: spin, yield or park, usually backing off from
 * one to the next as the idle period goes on. An instance serves one thread: it may keep the current step of
 * the idle period, which {@link #reset()} ends. Neither method may allocate: the stage loop must not.
 */
public interface IdleStrategy {
    /**
     * Idles once after a round that found no work. To park, call {@code parker}, which returns early when a producer
     * signals; the strategy decides only how long at most.
     */
    void idle(Parker parker);

    /** Called after a round that found work: the next idle period starts again from its first step. */
    void reset();

    /** The stage thread's way of parking: it publishes that it idles, so that a producer's signal unparks it. */
    @FunctionalInterface
    interface Parker {
        /** Parks for at most {@code maxNanos}, less if woken, and then does the stage's idle housekeeping. */
        void park(long maxNanos);
    }
}
