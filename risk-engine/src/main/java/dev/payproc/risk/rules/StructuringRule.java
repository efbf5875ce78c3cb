package dev.payproc.risk.rules;

import dev.payproc.core.model.Authorization;
import dev.payproc.core.model.DecisionStatus;
import dev.payproc.risk.Rule;
import dev.payproc.risk.RuleContext;
import dev.payproc.risk.RuleOutcome;
import dev.payproc.risk.Thresholds;

/**
 * {@code STRUCTURING}: an amount just under the step-up threshold or the per-authorization limit (within
 * the band), when the card's approved amounts in that band within the window reach the count with it, goes
 * to review: splitting a payment to stay under a control is a pattern of its own.
 */
public final class StructuringRule implements Rule {
    @Override
    public void evaluate(RuleContext ctx, RuleOutcome out) {
        Thresholds limits = ctx.limits();
        String currency = ctx.auth().currency();
        if (!check(ctx, out, limits.stepUp().get(currency), "the step-up threshold")) {
            check(ctx, out, limits.amountLimit().get(currency), "the per-authorization limit");
        }
    }

    private static boolean check(RuleContext ctx, RuleOutcome out, Long threshold, String what) {
        if (threshold == null) return false;
        Thresholds.Structuring s = ctx.limits().structuring();
        Authorization auth = ctx.auth();
        long low = threshold - threshold * s.bandPercent() / 100;
        if (auth.amount() < low || auth.amount() > threshold) return false;
        int amounts = ctx.card().approvedBetween(ctx.nowMillis() - s.millis(), ctx.currency(), low, threshold) + 1;
        if (amounts < s.count()) return false;
        out.fire(
                "STRUCTURING",
                amounts + " amounts in " + Durations.of(s.windowSeconds()) + " within "
                        + s.bandPercent() + "% under " + what + " of " + threshold + " " + auth.currency()
                        + " (flagged from "
                        + s.count() + ")",
                300,
                DecisionStatus.REVIEW);
        return true;
    }
}
