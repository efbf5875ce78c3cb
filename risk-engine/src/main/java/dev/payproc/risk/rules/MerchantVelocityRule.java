package dev.payproc.risk.rules;

import dev.payproc.core.model.DecisionStatus;
import dev.payproc.risk.Rule;
import dev.payproc.risk.RuleContext;
import dev.payproc.risk.RuleOutcome;
import dev.payproc.risk.Thresholds;

/**
 * {@code VELOCITY_MERCHANT}: more than N attempts at one merchant within the window (this one included) are
 * declined: far beyond its usual volume means a compromised integration. Large merchants get an override.
 */
public final class MerchantVelocityRule implements Rule {
    @Override
    public void evaluate(RuleContext ctx, RuleOutcome out) {
        Thresholds.Window w = ctx.limits().velocity().merchant();
        int attempts = ctx.merchant().countAfter(ctx.nowMillis() - w.millis()) + 1;
        if (attempts > w.limit()) {
            out.fire(
                    "VELOCITY_MERCHANT",
                    attempts + " attempts at merchant " + ctx.auth().merchantId() + " in "
                            + Durations.of(w.windowSeconds()) + " (limit " + w.limit() + ")",
                    400,
                    DecisionStatus.DECLINED);
        }
    }
}
