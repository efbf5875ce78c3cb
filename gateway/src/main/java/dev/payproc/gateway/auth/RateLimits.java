package dev.payproc.gateway.auth;

import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Per-terminal and per-merchant request rates (resilience4j rate limiters, one per key, never waiting:
 * over the limit is answered {@code 429} at once). Limits are per process and per second; 0 switches one
 * off. The limiter maps are bounded: past {@link #MAX_KEYS} keys they start afresh, which can only forgive.
 */
public final class RateLimits {
    static final int MAX_KEYS = 200_000;

    private final Map<String, RateLimiter> terminals = new ConcurrentHashMap<>();
    private final Map<String, RateLimiter> merchants = new ConcurrentHashMap<>();
    private volatile int terminalPerSecond;
    private volatile int merchantPerSecond;

    public RateLimits(int terminalPerSecond, int merchantPerSecond) {
        this.terminalPerSecond = terminalPerSecond;
        this.merchantPerSecond = merchantPerSecond;
    }

    /** Takes {@code permits} from the merchant's budget; false when it is spent for this second. */
    public boolean merchantAllows(String merchantId, int permits) {
        int limit = merchantPerSecond;
        return limit == 0 || limiter(merchants, merchantId, limit).acquirePermission(permits);
    }

    /** Takes one request from the terminal's budget (terminals are scoped by merchant). */
    public boolean terminalAllows(String merchantId, String terminalId) {
        int limit = terminalPerSecond;
        return limit == 0
                || limiter(terminals, merchantId + '/' + terminalId, limit).acquirePermission();
    }

    public int terminalPerSecond() {
        return terminalPerSecond;
    }

    public int merchantPerSecond() {
        return merchantPerSecond;
    }

    /** Changes the limits at run time, existing limiters included. */
    public void set(int terminal, int merchant) {
        terminalPerSecond = terminal;
        merchantPerSecond = merchant;
        if (terminal > 0) terminals.values().forEach(l -> l.changeLimitForPeriod(terminal));
        if (merchant > 0) merchants.values().forEach(l -> l.changeLimitForPeriod(merchant));
    }

    private static RateLimiter limiter(Map<String, RateLimiter> map, String key, int limit) {
        RateLimiter l = map.get(key);
        if (l != null) return l;
        if (map.size() >= MAX_KEYS) map.clear();
        return map.computeIfAbsent(
                key,
                k -> RateLimiter.of(
                        k,
                        RateLimiterConfig.custom()
                                .limitForPeriod(limit)
                                .limitRefreshPeriod(Duration.ofSeconds(1))
                                .timeoutDuration(Duration.ZERO)
                                .build()));
    }
}
