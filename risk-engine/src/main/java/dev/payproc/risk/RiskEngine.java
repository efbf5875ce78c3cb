package dev.payproc.risk;

import dev.payproc.core.model.Authorization;
import dev.payproc.core.model.Decision;
import dev.payproc.risk.rules.AmountLimitRule;
import dev.payproc.risk.rules.CardVelocityRule;

import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Decides authorizations from the rules and in-memory per-card state. Single-threaded by design: the
 * risk stage's thread is the only caller, so state needs no locks. Card state idle longer than the
 * velocity window is dropped, which keeps memory bounded by the number of recently active cards.
 */
public final class RiskEngine {
    private static final int MIN_RING = 32;

    private final List<Rule> rules = List.of(new AmountLimitRule(), new CardVelocityRule());
    private final Map<String, CardState> cards = new HashMap<>();
    private volatile RiskSettings settings;

    public RiskEngine(RiskSettings settings) {
        this.settings = settings;
    }

    /** Decides one attempt and records it in the card's state. */
    public Decision decide(Authorization auth, long nowMillis) {
        RiskSettings s = settings;
        int ring = Math.max(MIN_RING, s.cardVelocityLimit() + 1);
        CardState card = cards.computeIfAbsent(auth.card().fingerprint(), k -> new CardState(ring));
        RuleOutcome out = new RuleOutcome();
        for (Rule rule : rules) rule.evaluate(auth, card, nowMillis, s, out);
        card.recordAttempt(nowMillis);
        return out.decide(s);
    }

    /** Forgets cards with no attempt inside the velocity window; returns how many remain. */
    public int evictIdle(long nowMillis) {
        long horizon = nowMillis - settings.cardVelocityWindowMillis();
        for (Iterator<CardState> it = cards.values().iterator(); it.hasNext(); ) {
            if (it.next().lastAttemptMillis() <= horizon) it.remove();
        }
        return cards.size();
    }

    public int trackedCards() {
        return cards.size();
    }

    public RiskSettings settings() {
        return settings;
    }

    /** Replaces the rule settings; takes effect from the next decision. */
    public void update(RiskSettings next) {
        this.settings = next;
    }
}
