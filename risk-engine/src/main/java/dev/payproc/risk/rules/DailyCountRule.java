package dev.payproc.risk.rules;

import dev.payproc.core.model.DecisionStatus;
import dev.payproc.risk.Rule;
import dev.payproc.risk.RuleContext;
import dev.payproc.risk.RuleOutcome;
import dev.payproc.risk.Thresholds;

/**
 * {@code DAILY_COUNT_CARD}: more than N attempts by one card in the rolling day (this one included) are
 * declined. Every attempt counts, declined and challenged ones too.
 */
public final class DailyCountRule implements Rule {
    @Override
    public void evaluate(RuleContext ctx, RuleOutcome out) {
        Thresholds.Daily d = ctx.limits().daily();
        int attempts = ctx.card().attemptsAfter(ctx.nowMillis() - d.millis()) + 1;
        if (attempts > d.cardCount()) {
            out.fire(
                    "DAILY_COUNT_CARD",
                    attempts + " attempts in " + Durations.of(d.windowSeconds()) + " (limit " + d.cardCount() + ")",
                    400,
                    DecisionStatus.DECLINED);
        }
    }
}
