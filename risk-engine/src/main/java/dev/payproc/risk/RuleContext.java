package dev.payproc.risk;

import dev.payproc.core.model.Authorization;
import dev.payproc.core.model.EntryMode;

/**
 * One authorization as the rules see it: the thresholds of its merchant, and the history of its card,
 * terminal and merchant as it was before this attempt (old events already expired). {@code currency} and
 * {@code country} are the packed codes of the authorization ({@link Codes}).
 */
public record RuleContext(Authorization auth, long nowMillis, Thresholds limits, CardHistory card,
                          ActivityRing terminal, ActivityRing merchant, int currency, int country) {
    /** Whether the card was at the terminal: only then does an attempt place it in a country. */
    public boolean cardPresent() {
        return cardPresent(auth.entryMode());
    }

    static boolean cardPresent(EntryMode entryMode) {
        return switch (entryMode) {
            case CHIP, CONTACTLESS, MAGSTRIPE -> true;
            case ECOMMERCE, MANUAL -> false;
        };
    }
}
