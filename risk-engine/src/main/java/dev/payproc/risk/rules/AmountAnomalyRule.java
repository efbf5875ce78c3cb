package dev.payproc.risk.rules;

import dev.payproc.core.model.Authorization;
import dev.payproc.core.model.DecisionStatus;
import dev.payproc.risk.CardHistory;
import dev.payproc.risk.Rule;
import dev.payproc.risk.RuleContext;
import dev.payproc.risk.RuleOutcome;
import dev.payproc.risk.Thresholds;
import java.util.Locale;

/**
 * {@code AMOUNT_ANOMALY}: an amount far above what the card usually pays goes to review (z-score against
 * its weighted mean and variance, once there is enough history). A card with no history in this currency
 * paying a large amount only adds points: a first purchase is often a large one.
 */
public final class AmountAnomalyRule implements Rule {
    @Override
    public void evaluate(RuleContext ctx, RuleOutcome out) {
        Authorization auth = ctx.auth();
        Thresholds.Anomaly a = ctx.limits().amountAnomaly();
        CardHistory card = ctx.card();
        int samples = card.samplesIn(ctx.currency());
        if (samples == 0) {
            Long large = a.firstSeenLarge().get(auth.currency());
            if (large != null && auth.amount() >= large) {
                out.fire(
                        "AMOUNT_ANOMALY",
                        "no spending history for this card; " + auth.amount() + " " + auth.currency()
                                + " is large (from " + large + ")",
                        a.firstSeenPoints(),
                        DecisionStatus.APPROVED);
            }
        } else if (samples >= a.minHistory()) {
            double stdDev = Math.max(Math.max(Math.sqrt(card.variance()), card.mean() * a.minStdDevPercent() / 100), 1);
            double z = (auth.amount() - card.mean()) / stdDev;
            if (z > a.zScore()) {
                out.fire(
                        "AMOUNT_ANOMALY",
                        String.format(
                                Locale.ROOT,
                                "amount %d %s is %.2f standard deviations above this card's mean of %d (limit %.2f)",
                                auth.amount(),
                                auth.currency(),
                                z,
                                Math.round(card.mean()),
                                a.zScore()),
                        300,
                        DecisionStatus.REVIEW);
            }
        }
    }
}
