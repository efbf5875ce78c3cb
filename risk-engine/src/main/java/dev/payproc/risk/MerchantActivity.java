package dev.payproc.risk;

import java.util.HashMap;
import java.util.Map;

/**
 * Recent attempts at one merchant and at each of its terminals. Terminals are keyed under their merchant:
 * terminal ids are only unique per merchant, and nesting needs no composite key per attempt.
 */
final class MerchantActivity {
    private final EventRing attempts = new EventRing(false);
    private final Map<String, EventRing> terminals = new HashMap<>();

    EventRing attempts() {
        return attempts;
    }

    EventRing terminal(String terminalId) {
        return terminals.computeIfAbsent(terminalId, k -> new EventRing(false));
    }

    /** Drops terminals idle up to {@code terminalIdle}; true when the merchant itself can go too. */
    boolean evictIdle(long terminalIdle, long merchantIdle) {
        terminals.values().removeIf(t -> t.lastMillis() <= terminalIdle);
        return terminals.isEmpty() && attempts.lastMillis() <= merchantIdle;
    }
}
