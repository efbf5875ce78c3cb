package dev.payproc.core.model;

import java.util.List;

/** What the risk engine decided, with every rule that fired and the 0-1000 score. */
public record Decision(DecisionStatus status, int score, List<Reason> reasons, int ruleSetVersion) {
    public Decision {
        reasons = List.copyOf(reasons);
        if (score < 0 || score > 1000) throw new IllegalArgumentException("score out of range: " + score);
    }
}
