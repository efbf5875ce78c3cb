package dev.payproc.gateway.http;

import dev.payproc.core.port.EventFeed;
import dev.payproc.core.port.FeedSignal;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Logger;

/**
 * The feed's long polls waiting for a merchant's next event, shared by the gateway instances. A writer of this
 * process that commits a merchant's events wakes its waiters at once ({@link FeedSignal}); other processes' commits are
 * found by one read of the waited-for merchants' heads every {@link #RECHECK_MILLIS}, whatever the number of waiters.
 * Bounded overall and per merchant. A waiter runs on its request's event loop: it is woken there, never called there
 * from another thread. At shutdown every waiter answers what it has at once ({@link #release}), so a drain never
 * waits out a long poll and no consumer's poll is cut by the closing connection.
 */
public final class FeedWaiters implements FeedSignal {
    private static final Logger LOG = Logger.getLogger(FeedWaiters.class.getName());
    public static final long RECHECK_MILLIS = 500;

    /**
     * One waiting request: the cursor it waits beyond, what to run on its own loop when there may be more, and what
     * to run there to answer at once whatever the feed holds.
     */
    public record Waiter(long after, Context context, Runnable wake, Runnable answerNow) {}

    private final EventFeed feed;
    private final int maxWaiters;
    private final int maxPerMerchant;
    private final Map<String, Set<Waiter>> byMerchant = new ConcurrentHashMap<>();
    private final AtomicInteger waiting = new AtomicInteger();
    private final AtomicBoolean checking = new AtomicBoolean();
    private volatile boolean released;

    public FeedWaiters(Vertx vertx, EventFeed feed, int maxWaiters, int maxPerMerchant) {
        this.feed = feed;
        this.maxWaiters = maxWaiters;
        this.maxPerMerchant = maxPerMerchant;
        vertx.setPeriodic(RECHECK_MILLIS, id -> recheck());
    }

    /** Why a waiter was not taken; null when it was. */
    public enum Refusal {
        FULL,
        MERCHANT_FULL,
        /** The process is stopping: answer at once instead of waiting. */
        RELEASED
    }

    public Refusal add(String merchantId, Waiter w) {
        if (released) return Refusal.RELEASED;
        if (waiting.incrementAndGet() > maxWaiters) {
            waiting.decrementAndGet();
            return Refusal.FULL;
        }
        Set<Waiter> mine = byMerchant.computeIfAbsent(merchantId, m -> ConcurrentHashMap.newKeySet());
        if (mine.size() >= maxPerMerchant) {
            waiting.decrementAndGet();
            return Refusal.MERCHANT_FULL;
        }
        mine.add(w);
        if (released) { // released while this one was being added: it answers now, like the ones release() saw
            remove(merchantId, w);
            return Refusal.RELEASED;
        }
        return null;
    }

    /** From now on no request waits: the waiting ones answer at once, on their own loops; later ones do not wait. */
    public void release() {
        released = true;
        byMerchant.forEach((m, mine) -> {
            for (Waiter w : mine) w.context().runOnContext(v -> w.answerNow().run());
        });
    }

    public void remove(String merchantId, Waiter w) {
        Set<Waiter> mine = byMerchant.get(merchantId);
        if (mine != null && mine.remove(w)) waiting.decrementAndGet();
    }

    /** How many requests wait now. */
    public int waiting() {
        return waiting.get();
    }

    @Override
    public void committed(String merchantId) {
        Set<Waiter> mine = byMerchant.get(merchantId);
        if (mine == null || mine.isEmpty()) return;
        for (Waiter w : mine) w.context().runOnContext(v -> w.wake().run());
    }

    /** One read of the heads of every merchant waited for; wakes the waiters whose cursor is behind. */
    private void recheck() {
        List<String> merchants = new ArrayList<>();
        // A merchant's set stays once made (one per merchant that ever waited): removing it could lose a waiter
        // being added to it.
        byMerchant.forEach((m, set) -> {
            if (!set.isEmpty()) merchants.add(m);
        });
        if (merchants.isEmpty() || !checking.compareAndSet(false, true)) return;
        feed.heads(merchants)
                .onSuccess(heads -> heads.forEach((m, head) -> {
                    Set<Waiter> mine = byMerchant.get(m);
                    if (mine == null) return;
                    for (Waiter w : mine)
                        if (w.after() < head)
                            w.context().runOnContext(v -> w.wake().run());
                }))
                .onFailure(e -> LOG.warning("reading the feed heads of waiting requests failed: " + e))
                .onComplete(ar -> checking.set(false));
    }
}
