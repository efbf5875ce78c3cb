package dev.payproc.risk;

import dev.payproc.core.model.Authorization;
import dev.payproc.core.model.Decision;

import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Decides authorizations from the rules and in-memory card, terminal and merchant history. Single-threaded
 * by design: the risk stage's thread is the only caller of {@link #decide} and {@link #evictIdle}, so state
 * needs no locks; {@link #update} may come from any thread and publishes compiled settings through a
 * volatile field. Every attempt counts toward velocity and daily counts, whatever its outcome (fraudsters
 * probe); only approved amounts (APPROVED or REVIEW) count toward daily spend and the amount baseline.
 * History idle longer than the longest window in use is dropped, which bounds memory by recent activity.
 */
public final class RiskEngine {
    /** A few idle cards are dropped per decision, so memory stays bounded even if the stage never idles. */
    private static final int EVICTIONS_PER_DECISION = 2;

    /** Access-ordered: least recently seen cards first, so eviction stops at the first active one. */
    private final Map<String, CardHistory> cards = new LinkedHashMap<>(1024, 0.75f, true);
    private final Map<String, MerchantActivity> merchants = new HashMap<>();
    private volatile ActiveRules active;

    public RiskEngine(RiskSettings settings) {
        this.active = ActiveRules.of(settings);
    }

    /** Decides one attempt and records it in the history of its card, terminal and merchant. */
    public Decision decide(Authorization auth, long nowMillis) {
        ActiveRules rules = active;
        // Packed first: a missing or malformed code throws before any state changes.
        int currency = Codes.currency(auth.currency());
        int country = Codes.country(auth.merchantCountry());
        Thresholds limits = rules.settings().thresholdsFor(auth.merchantId());
        CardHistory card = cards.computeIfAbsent(auth.card().fingerprint(), k -> new CardHistory());
        MerchantActivity merchant = merchants.computeIfAbsent(auth.merchantId(), k -> new MerchantActivity());
        EventRing terminal = merchant.terminal(auth.terminalId());
        card.expireUpTo(nowMillis - rules.cardHorizonMillis());
        terminal.expireUpTo(nowMillis - limits.velocity().terminal().millis());
        merchant.attempts().expireUpTo(nowMillis - limits.velocity().merchant().millis());

        RuleContext ctx = new RuleContext(auth, nowMillis, limits, card, terminal, merchant.attempts(), currency, country);
        RuleOutcome out = new RuleOutcome();
        for (Rule rule : rules.rules()) rule.evaluate(ctx, out);
        Decision decision = out.decide(limits.scoreBands(), rules.settings().version());

        card.record(nowMillis, auth.amount(), currency, country, ctx.cardPresent(), decision.status().approvesFunds(),
                rules.cardCapacity(), limits.amountAnomaly().alpha());
        terminal.add(nowMillis, rules.terminalCapacity());
        merchant.attempts().add(nowMillis, rules.merchantCapacity());
        evictCards(nowMillis - rules.cardHorizonMillis(), EVICTIONS_PER_DECISION);
        return decision;
    }

    /** Forgets cards, terminals and merchants idle beyond the longest window in use; returns the cards that remain. */
    public int evictIdle(long nowMillis) {
        ActiveRules rules = active;
        evictCards(nowMillis - rules.cardHorizonMillis(), Integer.MAX_VALUE);
        long terminalIdle = nowMillis - rules.terminalHorizonMillis();
        long merchantIdle = nowMillis - rules.merchantHorizonMillis();
        merchants.values().removeIf(m -> m.evictIdle(terminalIdle, merchantIdle));
        return cards.size();
    }

    public int trackedCards() {
        return cards.size();
    }

    public RiskSettings settings() {
        return active.settings();
    }

    /** Replaces the rule settings; takes effect from the next decision, keeping all history. */
    public void update(RiskSettings next) {
        this.active = ActiveRules.of(next);
    }

    private void evictCards(long idleUpTo, int most) {
        Iterator<CardHistory> it = cards.values().iterator();
        for (int n = 0; n < most && it.hasNext(); n++) {
            if (it.next().lastMillis() > idleUpTo) return;
            it.remove();
        }
    }
}
