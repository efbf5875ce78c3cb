package dev.payproc.risk.rules;

import dev.payproc.core.model.DecisionStatus;
import dev.payproc.risk.Rule;
import dev.payproc.risk.RuleContext;
import dev.payproc.risk.RuleOutcome;
import dev.payproc.risk.Thresholds;

/**
 * {@code VELOCITY_TERMINAL}: more than N attempts on one terminal within the window (this one included, any
 * card) are declined: a terminal cycling through many cards is testing stolen card data.
 */
public final class TerminalVelocityRule implements Rule {
    @Override
    public void evaluate(RuleContext ctx, RuleOutcome out) {
        Thresholds.Window w = ctx.limits().velocity().terminal();
        int attempts = ctx.terminal().countAfter(ctx.nowMillis() - w.millis()) + 1;
        if (attempts > w.limit()) {
            out.fire(
                    "VELOCITY_TERMINAL",
                    attempts + " attempts on terminal " + ctx.auth().terminalId() + " in "
                            + Durations.of(w.windowSeconds()) + " (limit " + w.limit() + ")",
                    400,
                    DecisionStatus.DECLINED);
        }
    }
}
