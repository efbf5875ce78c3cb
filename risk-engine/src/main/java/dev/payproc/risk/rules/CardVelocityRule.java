package dev.payproc.risk.rules;

import dev.payproc.core.model.Authorization;
import dev.payproc.core.model.DecisionStatus;
import dev.payproc.risk.CardState;
import dev.payproc.risk.RiskSettings;
import dev.payproc.risk.Rule;
import dev.payproc.risk.RuleOutcome;

/**
 * {@code VELOCITY_CARD}: more than N attempts by one card within the window (this one included) are
 * declined. Declined attempts count too: fraudsters probe.
 */
public final class CardVelocityRule implements Rule {
    @Override
    public void evaluate(Authorization auth, CardState card, long nowMillis, RiskSettings settings, RuleOutcome out) {
        long windowMillis = settings.cardVelocityWindowMillis();
        int attempts = card.attemptsSince(nowMillis - windowMillis) + 1;
        if (attempts > settings.cardVelocityLimit()) {
            out.fire("VELOCITY_CARD", attempts + " attempts in " + windowMillis / 1000 + "s (limit "
                    + settings.cardVelocityLimit() + ")", 400, DecisionStatus.DECLINED);
        }
    }
}
