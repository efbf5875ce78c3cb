package dev.payproc.risk;

import dev.payproc.core.model.Authorization;
import dev.payproc.core.model.Decision;
import dev.payproc.core.stage.ThreadOwner;

/**
 * Decides authorizations from the rules and in-memory card, terminal and merchant history. One engine is one
 * shard: its risk thread is the only caller of {@link #decide} and {@link #evictIdle}, and owns the cards routed
 * to it (by fingerprint), so card state needs no locks; terminal and merchant activity lives in an
 * {@link ActivityBoard} that all shards share without locks. {@link #replay} runs before the first decision (on
 * whichever thread rebuilds the state; the risk thread then {@link #bindToCurrentThread takes it over}), and
 * {@link #update} may come from any thread (compiled settings are published through a volatile field).
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

    private final ActivityBoard activity;
    private final RuleContext ctx = new RuleContext();
    private final RuleOutcome out = new RuleOutcome();
    /** Checks that cards, ctx and out are touched by one thread: the risk thread, or whoever runs a backtest. */
    private final ThreadOwner owner = new ThreadOwner("a risk engine's card state");

    private volatile ActiveRules active;

    /** An engine that sees every card, terminal and merchant. */
    public RiskEngine(RiskSettings settings) {
        this(settings, new ActivityBoard());
    }

    /** One shard: the cards routed to it, and the terminal and merchant activity that all shards share. */
    public RiskEngine(RiskSettings settings, ActivityBoard activity) {
        this.active = ActiveRules.of(settings);
        this.activity = activity;
    }

    /** Decides one attempt and records it in the history of its card, terminal and merchant. */
    public Decision decide(Authorization auth, long nowMillis) {
        assert owner.isCurrent() : owner;
        ActiveRules rules = active;
        // Packed first: a missing or malformed code throws before any state changes.
        int currency = Codes.currency(auth.currency());
        int country = Codes.country(auth.merchantCountry());
        Thresholds limits = rules.settings().thresholdsFor(auth.merchantId());
        CardHistory card = cards.touch(auth.card().fingerprint());
        MerchantActivity merchant = activity.merchant(auth.merchantId());
        ActivityRing terminal = merchant.terminal(auth.terminalId());
        ActivityRing attempts = merchant.attempts();
        card.expireUpTo(nowMillis - rules.cardHorizonMillis());

        ctx.set(auth, nowMillis, limits, card, terminal, attempts, currency, country);
        out.reset();
        for (Rule rule : rules.rules()) rule.evaluate(ctx, out);
        Decision decision = out.decide(limits.scoreBands(), rules.cleanApproval());

        card.record(
                nowMillis,
                auth.amount(),
                currency,
                country,
                ctx.cardPresent(),
                decision.status().approvesFunds(),
                rules.cardCapacity(),
                limits.amountAnomaly().alpha());
        record(rules, limits, merchant, auth.terminalId(), terminal, attempts, nowMillis);
        return decision;
    }

    /**
     * Records an attempt decided before a restart exactly as {@link #decide} recorded it, without evaluating
     * rules. Attempts come in time order; those at or before {@code nowMillis - rebuildHorizonMillis()} (the
     * time the state is rebuilt for, minus the longest window) are outside every window and skipped.
     */
    public void replay(HistoricalAttempt attempt, long nowMillis) {
        assert owner.isCurrent() : owner;
        ActiveRules rules = active;
        if (attempt.atMillis() <= nowMillis - rebuildHorizonMillis(rules)) return;
        int currency = Codes.currency(attempt.currency());
        int country = Codes.country(attempt.merchantCountry());
        Thresholds limits = rules.settings().thresholdsFor(attempt.merchantId());
        CardHistory card = cards.touch(attempt.cardFingerprint());
        MerchantActivity merchant = activity.merchant(attempt.merchantId());
        long at = attempt.atMillis();
        card.expireUpTo(at - rules.cardHorizonMillis());
        card.record(
                at,
                attempt.amount(),
                currency,
                country,
                RuleContext.cardPresent(attempt.entryMode()),
                attempt.approved(),
                rules.cardCapacity(),
                limits.amountAnomaly().alpha());
        record(
                rules,
                limits,
                merchant,
                attempt.terminalId(),
                merchant.terminal(attempt.terminalId()),
                merchant.attempts(),
                at);
    }

    /** How far back {@link #replay} needs the ledger: the longest card, terminal or merchant window in use. */
    public long rebuildHorizonMillis() {
        return rebuildHorizonMillis(active);
    }

    /**
     * Forgets cards idle beyond the longest window in use, and terminals and merchants idle beyond theirs (those
     * swept every {@link ActivityBoard#SWEEP_PERIOD_MILLIS} at most); returns the cards that remain.
     */
    public int evictIdle(long nowMillis) {
        assert owner.isCurrent() : owner;
        ActiveRules rules = active;
        cards.evictIdle(nowMillis - rules.cardHorizonMillis(), Integer.MAX_VALUE);
        activity.evictIdle(
                nowMillis, nowMillis - rules.terminalHorizonMillis(), nowMillis - rules.merchantHorizonMillis());
        return cards.size();
    }

    /**
     * The calling thread alone decides from now on: a risk thread calls it when it starts, taking over the history
     * {@link #replay} rebuilt on another thread (its start published that history to it).
     */
    public void bindToCurrentThread() {
        owner.bindToCurrentThread();
    }

    /** Any thread: a racy read of the count, for logs and gauges. */
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
        return Math.max(
                rules.cardHorizonMillis(), Math.max(rules.terminalHorizonMillis(), rules.merchantHorizonMillis()));
    }

    /** Counts an attempt at the terminal and merchant (its card has recorded it), then drops a few idle cards. */
    private void record(
            ActiveRules rules,
            Thresholds limits,
            MerchantActivity merchant,
            String terminalId,
            ActivityRing terminal,
            ActivityRing attempts,
            long millis) {
        merchant.recordTerminal(
                terminalId,
                terminal,
                millis,
                millis - limits.velocity().terminal().millis(),
                rules.terminalCapacity());
        merchant.recordAttempt(
                attempts, millis, millis - limits.velocity().merchant().millis(), rules.merchantCapacity());
        cards.evictIdle(millis - rules.cardHorizonMillis(), EVICTIONS_PER_DECISION);
    }
}
