package dev.payproc.risk;

import dev.payproc.core.model.Decision;
import dev.payproc.core.model.DecisionStatus;
import dev.payproc.core.model.Reason;
import java.util.ArrayList;
import java.util.List;

/**
 * Collects what the rules say about one authorization: points, reasons and the strictest hard outcome. One per
 * engine, {@link #reset} before each decision, so an ordinary authorization allocates nothing here.
 */
public final class RuleOutcome {
    private final List<Reason> reasons = new ArrayList<>(4);
    private int points;
    private DecisionStatus forced = DecisionStatus.APPROVED;

    RuleOutcome reset() {
        reasons.clear();
        points = 0;
        forced = DecisionStatus.APPROVED;
        return this;
    }

    /** A rule fired: it adds points and a reason, and may force an outcome (the strictest forced one wins). */
    public void fire(String code, String message, int addPoints, DecisionStatus force) {
        reasons.add(new Reason(code, message));
        points += addPoints;
        if (severity(force) > severity(forced)) forced = force;
    }

    /**
     * The score band's outcome, unless a rule forced a stricter one; {@code clean} (the rule set's shared
     * approval with no reason and score 0) when no rule fired.
     */
    Decision decide(Thresholds.ScoreBands bands, Decision clean) {
        if (reasons.isEmpty()
                && points == 0
                && forced == DecisionStatus.APPROVED
                && bands.review() > 0
                && bands.decline() > 0) return clean;
        int score = Math.min(1000, points);
        DecisionStatus byScore = score >= bands.decline()
                ? DecisionStatus.DECLINED
                : score >= bands.review() ? DecisionStatus.REVIEW : DecisionStatus.APPROVED;
        DecisionStatus status = severity(forced) >= severity(byScore) ? forced : byScore;
        return new Decision(status, score, reasons, clean.ruleSetVersion());
    }

    private static int severity(DecisionStatus s) {
        return switch (s) {
            case APPROVED -> 0;
            case REVIEW -> 1;
            case CHALLENGE -> 2;
            case DECLINED -> 3;
        };
    }
}
