package dev.payproc.risk.rules;

import dev.payproc.core.model.Authorization;
import dev.payproc.core.model.CardholderVerification;
import dev.payproc.core.model.DecisionStatus;
import dev.payproc.risk.Rule;
import dev.payproc.risk.RuleContext;
import dev.payproc.risk.RuleOutcome;

/**
 * {@code STEP_UP}: an amount above the threshold without any cardholder verification is challenged; the
 * terminal retries with PIN, biometrics or 3-D Secure, and the retry is not challenged again.
 */
public final class StepUpRule implements Rule {
    @Override
    public void evaluate(RuleContext ctx, RuleOutcome out) {
        Authorization auth = ctx.auth();
        if (auth.cardholderVerification() != CardholderVerification.NONE) return;
        Long threshold = ctx.limits().stepUp().get(auth.currency());
        if (threshold != null && auth.amount() > threshold) {
            out.fire(
                    "STEP_UP",
                    "amount " + auth.amount() + " " + auth.currency() + " above " + threshold
                            + " needs cardholder verification",
                    100,
                    DecisionStatus.CHALLENGE);
        }
    }
}
