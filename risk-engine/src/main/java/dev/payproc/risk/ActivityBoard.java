package dev.payproc.risk;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Recent attempts at every merchant and its terminals, shared by the risk shards: cards are sharded, but a
 * terminal or merchant sees cards of every shard, so its velocity is counted across them. Lock-free on the hot
 * path (map reads and {@link ActivityRing}s). Eviction may race an attempt at a merchant idle beyond every
 * window; that attempt then goes uncounted, which can only make a limit later by one.
 */
public final class ActivityBoard {
    /**
     * A sweep walks every terminal of every merchant (milliseconds for tens of thousands), stalling the shard
     * that runs it: one shard sweeps, at most once per this period of its clock, however many ask.
     */
    static final long SWEEP_PERIOD_MILLIS = 10_000;

    private final Map<String, MerchantActivity> merchants = new ConcurrentHashMap<>();
    private final AtomicLong lastSweep = new AtomicLong(Long.MIN_VALUE);

    MerchantActivity merchant(String merchantId) {
        MerchantActivity m = merchants.get(merchantId);
        if (m != null) return m;
        MerchantActivity fresh = new MerchantActivity();
        m = merchants.putIfAbsent(merchantId, fresh);
        return m == null ? fresh : m;
    }

    /**
     * Drops terminals idle up to {@code terminalIdle} and merchants idle up to {@code merchantIdle} with none left,
     * unless a sweep ran less than {@link #SWEEP_PERIOD_MILLIS} before {@code nowMillis}.
     */
    void evictIdle(long nowMillis, long terminalIdle, long merchantIdle) {
        long last = lastSweep.get();
        if (last != Long.MIN_VALUE && nowMillis - last < SWEEP_PERIOD_MILLIS) return;
        if (!lastSweep.compareAndSet(last, nowMillis)) return; // another shard sweeps now
        merchants.values().removeIf(m -> m.evictIdle(terminalIdle, merchantIdle));
    }
}
