package dev.payproc.risk;

import dev.payproc.core.model.Authorization;
import dev.payproc.core.model.EntryMode;

/**
 * One authorization as the rules see it: the thresholds of its merchant, and the history of its card,
 * terminal and merchant as it was before this attempt (old events already expired). {@code currency} and
 * {@code country} are the packed codes of the authorization ({@link Codes}). Each engine fills one instance
 * per decision instead of allocating it (the risk path allocates nothing for an ordinary authorization);
 * rules must not keep it past {@link Rule#evaluate}.
 */
public final class RuleContext {
    private Authorization auth;
    private long nowMillis;
    private Thresholds limits;
    private CardHistory card;
    private ActivityRing terminal;
    private ActivityRing merchant;
    private int currency;
    private int country;

    RuleContext set(
            Authorization auth,
            long nowMillis,
            Thresholds limits,
            CardHistory card,
            ActivityRing terminal,
            ActivityRing merchant,
            int currency,
            int country) {
        this.auth = auth;
        this.nowMillis = nowMillis;
        this.limits = limits;
        this.card = card;
        this.terminal = terminal;
        this.merchant = merchant;
        this.currency = currency;
        this.country = country;
        return this;
    }

    public Authorization auth() {
        return auth;
    }

    public long nowMillis() {
        return nowMillis;
    }

    public Thresholds limits() {
        return limits;
    }

    public CardHistory card() {
        return card;
    }

    public ActivityRing terminal() {
        return terminal;
    }

    public ActivityRing merchant() {
        return merchant;
    }

    public int currency() {
        return currency;
    }

    public int country() {
        return country;
    }

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
