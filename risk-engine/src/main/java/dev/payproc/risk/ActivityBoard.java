package dev.payproc.risk;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Recent attempts at every merchant and its terminals, shared by the risk shards: cards are sharded, but a
 * terminal or merchant sees cards of every shard, so its velocity is counted across them. Lock-free on the hot
 * path (map reads and {@link ActivityRing}s). Eviction may race an attempt at a merchant idle beyond every
 * window; that attempt then goes uncounted, which can only make a limit later by one.
 */
public final class ActivityBoard {
    private final Map<String, MerchantActivity> merchants = new ConcurrentHashMap<>();

    MerchantActivity merchant(String merchantId) {
        MerchantActivity m = merchants.get(merchantId);
        if (m != null) return m;
        MerchantActivity fresh = new MerchantActivity();
        m = merchants.putIfAbsent(merchantId, fresh);
        return m == null ? fresh : m;
    }

    /** Drops terminals idle up to {@code terminalIdle} and merchants idle up to {@code merchantIdle} with none left. */
    void evictIdle(long terminalIdle, long merchantIdle) {
        merchants.values().removeIf(m -> m.evictIdle(terminalIdle, merchantIdle));
    }
}
