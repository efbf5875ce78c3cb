package dev.payproc.risk;

import dev.payproc.core.model.Authorization;

/**
 * One risk rule. It reads the authorization and the card's state as it was before this attempt, and
 * reports through {@link RuleOutcome#fire} when it fires. Rules run on the risk thread and must not block.
 */
public interface Rule {
    void evaluate(Authorization auth, CardState card, long nowMillis, RiskSettings settings, RuleOutcome out);
}
