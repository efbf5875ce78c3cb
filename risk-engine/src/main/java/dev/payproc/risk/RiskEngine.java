package dev.payproc.risk;

import dev.payproc.core.model.Authorization;
import dev.payproc.core.model.Decision;

import java.util.HashMap;
import java.util.Map;

/**
 * Decides authorizations from the rules and in-memory card, terminal and merchant history. Single-threaded
 * by design: the risk stage's thread is the only caller of {@link #decide} and {@link #evictIdle}, and
 * {@link #replay} runs before the first decision (on that thread, or before it starts), so state needs no
 * locks; {@link #update} may come from any thread and publishes compiled settings through a volatile field.
 * Every attempt counts toward velocity and daily counts, whatever its outcome (fraudsters probe); only
 * approved amounts (APPROVED or REVIEW) count toward daily spend and the amount baseline. History idle longer
 * than the longest window in use is dropped, which bounds memory by recent activity; at start, {@link #replay}
 * rebuilds it from the ledger so that a restart resets no limit.
 */
public final class RiskEngine {
    /** A few idle cards are dropped per decision, so memory stays bounded even if the stage never idles. */
    private static final int EVICTIONS_PER_DECISION = 2;

    /** Least recently seen cards first, so eviction stops at the first active one. */
    private final CardTable cards = new CardTable();
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
        CardHistory card = cards.touch(auth.card().fingerprint());
        MerchantActivity merchant = merchants.computeIfAbsent(auth.merchantId(), k -> new MerchantActivity());
        EventRing terminal = merchant.terminal(auth.terminalId());
        expire(rules, limits, card, terminal, merchant.attempts(), nowMillis);

        RuleContext ctx = new RuleContext(auth, nowMillis, limits, card, terminal, merchant.attempts(), currency, country);
        RuleOutcome out = new RuleOutcome();
        for (Rule rule : rules.rules()) rule.evaluate(ctx, out);
        Decision decision = out.decide(limits.scoreBands(), rules.settings().version());

        card.record(nowMillis, auth.amount(), currency, country, ctx.cardPresent(), decision.status().approvesFunds(),
                rules.cardCapacity(), limits.amountAnomaly().alpha());
        record(rules, terminal, merchant.attempts(), nowMillis);
        return decision;
    }

    /**
     * Records an attempt decided before a restart exactly as {@link #decide} recorded it, without evaluating
     * rules. Attempts come in time order; those at or before {@code nowMillis - rebuildHorizonMillis()} (the
     * time the state is rebuilt for, minus the longest window) are outside every window and skipped.
     */
    public void replay(HistoricalAttempt attempt, long nowMillis) {
        ActiveRules rules = active;
        if (attempt.atMillis() <= nowMillis - rebuildHorizonMillis(rules)) return;
        int currency = Codes.currency(attempt.currency());
        int country = Codes.country(attempt.merchantCountry());
        Thresholds limits = rules.settings().thresholdsFor(attempt.merchantId());
        CardHistory card = cards.touch(attempt.cardFingerprint());
        MerchantActivity merchant = merchants.computeIfAbsent(attempt.merchantId(), k -> new MerchantActivity());
        EventRing terminal = merchant.terminal(attempt.terminalId());
        long at = attempt.atMillis();
        expire(rules, limits, card, terminal, merchant.attempts(), at);
        card.record(at, attempt.amount(), currency, country, RuleContext.cardPresent(attempt.entryMode()),
                attempt.approved(), rules.cardCapacity(), limits.amountAnomaly().alpha());
        record(rules, terminal, merchant.attempts(), at);
    }

    /** How far back {@link #replay} needs the ledger: the longest card, terminal or merchant window in use. */
    public long rebuildHorizonMillis() {
        return rebuildHorizonMillis(active);
    }

    /** Forgets cards, terminals and merchants idle beyond the longest window in use; returns the cards that remain. */
    public int evictIdle(long nowMillis) {
        ActiveRules rules = active;
        cards.evictIdle(nowMillis - rules.cardHorizonMillis(), Integer.MAX_VALUE);
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

    private static long rebuildHorizonMillis(ActiveRules rules) {
        return Math.max(rules.cardHorizonMillis(), Math.max(rules.terminalHorizonMillis(), rules.merchantHorizonMillis()));
    }

    /** Drops what has left every window of the card, terminal and merchant at {@code millis}. */
    private static void expire(ActiveRules rules, Thresholds limits, CardHistory card, EventRing terminal,
                               EventRing merchant, long millis) {
        card.expireUpTo(millis - rules.cardHorizonMillis());
        terminal.expireUpTo(millis - limits.velocity().terminal().millis());
        merchant.expireUpTo(millis - limits.velocity().merchant().millis());
    }

    /** Counts an attempt at the terminal and merchant (its card has recorded it), then drops a few idle cards. */
    private void record(ActiveRules rules, EventRing terminal, EventRing merchant, long millis) {
        terminal.add(millis, rules.terminalCapacity());
        merchant.add(millis, rules.merchantCapacity());
        cards.evictIdle(millis - rules.cardHorizonMillis(), EVICTIONS_PER_DECISION);
    }
}
