package dev.payproc.gateway.http;

import dev.payproc.core.model.Reply;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Bounds the requests admitted into the pipeline and not yet answered. Every queue is sized to this
 * limit, so a full pipeline refuses at the door ({@code 503 overloaded}) and never buffers without bound.
 * While draining for shutdown nothing new is admitted.
 */
public final class Admission {
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicBoolean draining = new AtomicBoolean();
    private volatile int limit;
    /** The limit in force: the configured one, or lower while the box is saturated (see AdaptiveAdmission). */
    private volatile int effectiveLimit;

    public Admission(int limit) {
        this.limit = limit;
        this.effectiveLimit = limit;
    }

    /**
     * Takes a slot: null when admitted, else the refusal to send. The slot is taken before the draining flag
     * is read, so a shutdown that sets the flag and then sees no request in flight has missed none.
     */
    Reply tryAdmit() {
        int n = inFlight.incrementAndGet();
        if (n > effectiveLimit || draining.get()) {
            inFlight.decrementAndGet();
            return draining.get() ? GatewayErrors.SHUTTING_DOWN : GatewayErrors.OVERLOADED;
        }
        return null;
    }

    /**
     * The refusal a request would get now, without taking a slot, or null: checked before a write request is
     * authenticated, decoded and tokenized, so an overloaded gateway sheds work before spending CPU on it.
     * {@link #tryAdmit} still decides; this only answers early what it would answer late.
     */
    public Reply refusalIfFull() {
        if (draining.get()) return GatewayErrors.SHUTTING_DOWN;
        return inFlight.get() >= effectiveLimit ? GatewayErrors.OVERLOADED : null;
    }

    /** Gives back the slot of an answered command. */
    void release() {
        inFlight.decrementAndGet();
    }

    public int inFlight() {
        return inFlight.get();
    }

    public int limit() {
        return limit;
    }

    /** Changes the admission limit at run time; the caller keeps it within the queues' capacity. */
    public void limit(int newLimit) {
        this.limit = newLimit;
        this.effectiveLimit = newLimit;
    }

    public int effectiveLimit() {
        return effectiveLimit;
    }

    void effectiveLimit(int newLimit) {
        this.effectiveLimit = newLimit;
    }

    public boolean draining() {
        return draining.get();
    }

    public void startDraining() {
        draining.set(true);
    }
}
