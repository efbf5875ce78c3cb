package dev.payproc.risk.rules;

import dev.payproc.core.model.Authorization;
import dev.payproc.core.model.DecisionStatus;
import dev.payproc.risk.Rule;
import dev.payproc.risk.RuleContext;
import dev.payproc.risk.RuleOutcome;

/** {@code LARGE_VALUE}: flags amounts at or above the reporting threshold; no points, no effect on the outcome. */
public final class LargeValueRule implements Rule {
    @Override
    public void evaluate(RuleContext ctx, RuleOutcome out) {
        Authorization auth = ctx.auth();
        Long threshold = ctx.limits().largeValue().get(auth.currency());
        if (threshold != null && auth.amount() >= threshold) {
            out.fire(
                    "LARGE_VALUE",
                    "amount " + auth.amount() + " " + auth.currency()
                            + " reaches the large-value reporting threshold of " + threshold,
                    0,
                    DecisionStatus.APPROVED);
        }
    }
}
