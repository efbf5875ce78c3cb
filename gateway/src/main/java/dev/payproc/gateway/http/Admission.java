package dev.payproc.gateway.http;

import dev.payproc.core.model.Reply;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Bounds the requests admitted into the pipeline and not yet answered. Every queue is sized to this
 * limit, so a full pipeline refuses at the door ({@code 503 overloaded}) and never buffers without bound.
 * While draining for shutdown nothing new is admitted. Each merchant may hold at most a share of the limit in
 * force, so one merchant's burst cannot refuse every other merchant.
 */
public final class Admission {
    /** Merchants counted apart; beyond it (more merchants than any key store here holds) the rest share one count. */
    static final int MAX_COUNTED_MERCHANTS = 10_000;

    private final AtomicInteger inFlight = new AtomicInteger();
    private final ConcurrentHashMap<String, AtomicInteger> byMerchant = new ConcurrentHashMap<>();
    private final AtomicInteger otherMerchants = new AtomicInteger();
    private final double merchantShare;
    private final AtomicBoolean draining = new AtomicBoolean();
    private volatile int limit;
    /** The limit in force: the configured one, or lower while the box is saturated (see AdaptiveAdmission). */
    private volatile int effectiveLimit;

    /** {@code merchantShare} in (0, 1]: the part of the limit in force one merchant may hold; 1 = no share. */
    public Admission(int limit, double merchantShare) {
        if (!(merchantShare > 0 && merchantShare <= 1))
            throw new IllegalArgumentException("merchantShare must be in (0, 1]");
        this.merchantShare = merchantShare;
        this.limit = limit;
        this.effectiveLimit = limit;
    }

    /**
     * The count of {@code merchantId}'s admitted requests, to pass to {@link #tryAdmit} and {@link #release}, or
     * null when merchants have no share. Counts stay (at 0 once answered) so a request allocates nothing.
     */
    AtomicInteger merchantSlots(String merchantId) {
        if (merchantShare >= 1) return null;
        AtomicInteger slots = byMerchant.get(merchantId);
        if (slots != null) return slots;
        if (byMerchant.size() >= MAX_COUNTED_MERCHANTS) return otherMerchants;
        return byMerchant.computeIfAbsent(merchantId, m -> new AtomicInteger());
    }

    /**
     * Takes a slot, and one of the merchant's {@code merchantSlots} unless null: null when admitted, else the
     * refusal to send. The slot is taken before the draining flag is read, so a shutdown that sets the flag and
     * then sees no request in flight has missed none.
     */
    Reply tryAdmit(AtomicInteger merchantSlots) {
        int n = inFlight.incrementAndGet();
        if (n > effectiveLimit || draining.get()) {
            inFlight.decrementAndGet();
            return draining.get() ? GatewayErrors.SHUTTING_DOWN : GatewayErrors.OVERLOADED;
        }
        if (merchantSlots != null
                && merchantSlots.incrementAndGet() > Math.max(1, (int) (effectiveLimit * merchantShare))) {
            release(merchantSlots);
            return GatewayErrors.OVERLOADED;
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

    /** Gives back the slot of an answered command, and its merchant's unless null. */
    void release(AtomicInteger merchantSlots) {
        if (merchantSlots != null) merchantSlots.decrementAndGet();
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

    public double merchantShare() {
        return merchantShare;
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
