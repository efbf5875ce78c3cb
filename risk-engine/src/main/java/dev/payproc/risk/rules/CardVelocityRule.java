package dev.payproc.risk.rules;

import dev.payproc.core.model.DecisionStatus;
import dev.payproc.risk.Rule;
import dev.payproc.risk.RuleContext;
import dev.payproc.risk.RuleOutcome;
import dev.payproc.risk.Thresholds;

/**
 * {@code VELOCITY_CARD}: more than N attempts by one card within the window (this one included) are
 * declined. Declined attempts count too: fraudsters probe.
 */
public final class CardVelocityRule implements Rule {
    @Override
    public void evaluate(RuleContext ctx, RuleOutcome out) {
        Thresholds.Window w = ctx.limits().velocity().card();
        int attempts = ctx.card().attemptsAfter(ctx.nowMillis() - w.millis()) + 1;
        if (attempts > w.limit()) {
            out.fire(
                    "VELOCITY_CARD",
                    attempts + " attempts in " + Durations.of(w.windowSeconds()) + " (limit " + w.limit() + ")",
                    400,
                    DecisionStatus.DECLINED);
        }
    }
}
