package dev.payproc.risk.rules;

import dev.payproc.core.model.Authorization;
import dev.payproc.core.model.DecisionStatus;
import dev.payproc.risk.Rule;
import dev.payproc.risk.RuleContext;
import dev.payproc.risk.RuleOutcome;
import dev.payproc.risk.Thresholds;

/**
 * {@code DAILY_AMOUNT_CARD}: an attempt that would take one card's spend in the rolling day above the limit
 * for its currency is declined. Spend is approved amounts only (a declined or challenged attempt moved no
 * money), and only in the limit's currency: without exchange rates amounts in other currencies cannot be
 * added, and a card paying in several currencies in a day is rare.
 */
public final class DailyAmountRule implements Rule {
    @Override
    public void evaluate(RuleContext ctx, RuleOutcome out) {
        Authorization auth = ctx.auth();
        Thresholds.Daily d = ctx.limits().daily();
        Long limit = d.cardAmount().get(auth.currency());
        if (limit == null) return;
        long total = ctx.card().approvedSumAfter(ctx.nowMillis() - d.millis(), ctx.currency()) + auth.amount();
        if (total > limit) {
            out.fire(
                    "DAILY_AMOUNT_CARD",
                    total + " " + auth.currency() + " in " + Durations.of(d.windowSeconds())
                            + " with this amount (limit " + limit + ")",
                    400,
                    DecisionStatus.DECLINED);
        }
    }
}
