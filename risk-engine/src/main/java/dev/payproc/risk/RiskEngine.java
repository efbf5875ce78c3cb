package dev.payproc.risk;

import static dev.payproc.core.model.DecisionStatus.REVIEW;

import dev.payproc.core.model.Authorization;
import dev.payproc.core.model.Decision;
import dev.payproc.core.stage.ThreadOwner;
import java.util.HashMap;

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

    /** Cards one merchant may bring into one shard (about 16 MB of card state). */
    public static final int DEFAULT_MAX_CARDS_PER_MERCHANT = 100_000;

    static final String UNTRACKED = "CARD_UNTRACKED";

    /** Least recently seen cards first, so eviction stops at the first active one. */
    private final CardTable cards = new CardTable();

    private final int maxCardsPerMerchant;
    /** Each merchant's quota of cards in this shard; a merchant with no card left is dropped by {@link #evictIdle}. */
    private final HashMap<String, CardQuota> quotas = new HashMap<>();
    /** Stands in for a card over its merchant's quota: never recorded into, so always without history. */
    private final CardHistory untracked = new CardHistory(0, 0, UNTRACKED, null);

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
        this(settings, activity, DEFAULT_MAX_CARDS_PER_MERCHANT);
    }

    /** One shard that tracks at most {@code maxCardsPerMerchant} cards of each merchant (the rest: see decide). */
    public RiskEngine(RiskSettings settings, ActivityBoard activity, int maxCardsPerMerchant) {
        if (maxCardsPerMerchant < 1) throw new IllegalArgumentException("maxCardsPerMerchant must be at least 1");
        this.maxCardsPerMerchant = maxCardsPerMerchant;
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
        CardHistory tracked = cards.touch(auth.card().fingerprint(), quota(auth.merchantId()));
        CardHistory card = tracked != null ? tracked : untracked;
        MerchantActivity merchant = activity.merchant(auth.merchantId());
        ActivityRing terminal = merchant.terminal(auth.terminalId());
        ActivityRing attempts = merchant.attempts();
        card.expireUpTo(nowMillis - rules.cardHorizonMillis());

        ctx.set(auth, nowMillis, limits, card, terminal, attempts, currency, country);
        out.reset();
        for (Rule rule : rules.rules()) rule.evaluate(ctx, out);
        // Card rules saw no history: never approve such a card unseen, and say why.
        if (tracked == null)
            out.fire(UNTRACKED, "the merchant's card state is full: decided without card history", 0, REVIEW);
        Decision decision = out.decide(limits.scoreBands(), rules.cleanApproval());

        if (tracked != null)
            tracked.record(
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
        CardHistory card = cards.touch(attempt.cardFingerprint(), quota(attempt.merchantId()));
        MerchantActivity merchant = activity.merchant(attempt.merchantId());
        long at = attempt.atMillis();
        if (card != null) {
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
        }
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
        quotas.values().removeIf(CardQuota::isEmpty);
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

    private CardQuota quota(String merchantId) {
        CardQuota q = quotas.get(merchantId);
        if (q == null) quotas.put(merchantId, q = new CardQuota(maxCardsPerMerchant));
        return q;
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
