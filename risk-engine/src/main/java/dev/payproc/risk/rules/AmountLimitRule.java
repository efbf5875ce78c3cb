package dev.payproc.risk.rules;

import dev.payproc.core.model.Authorization;
import dev.payproc.core.model.DecisionStatus;
import dev.payproc.risk.Rule;
import dev.payproc.risk.RuleContext;
import dev.payproc.risk.RuleOutcome;

/** {@code AMOUNT_LIMIT}: a single authorization above the limit for its currency is declined. */
public final class AmountLimitRule implements Rule {
    @Override
    public void evaluate(RuleContext ctx, RuleOutcome out) {
        Authorization auth = ctx.auth();
        Long limit = ctx.limits().amountLimit().get(auth.currency());
        if (limit != null && auth.amount() > limit) {
            out.fire(
                    "AMOUNT_LIMIT",
                    "amount " + auth.amount() + " " + auth.currency() + " exceeds the limit of " + limit
                            + " per authorization",
                    500,
                    DecisionStatus.DECLINED);
        }
    }
}
