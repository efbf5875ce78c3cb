package dev.payproc.risk.rules;

import dev.payproc.core.model.DecisionStatus;
import dev.payproc.risk.CardHistory;
import dev.payproc.risk.Codes;
import dev.payproc.risk.Rule;
import dev.payproc.risk.RuleContext;
import dev.payproc.risk.RuleOutcome;
import dev.payproc.risk.Thresholds;

/**
 * {@code IMPOSSIBLE_TRAVEL}: a card present at merchants in two countries within the window is sent to
 * review: one of them holds a copy of the card. Only card-present attempts count; online and manually keyed
 * payments say where the merchant is, not where the card is.
 */
public final class ImpossibleTravelRule implements Rule {
    @Override
    public void evaluate(RuleContext ctx, RuleOutcome out) {
        if (!ctx.cardPresent()) return;
        Thresholds.Travel t = ctx.limits().impossibleTravel();
        CardHistory card = ctx.card();
        int i = card.lastPresentElsewhere(ctx.nowMillis() - t.millis(), ctx.country());
        if (i < 0) return;
        long agoSeconds = (ctx.nowMillis() - card.attemptMillis(i)) / 1000;
        out.fire(
                "IMPOSSIBLE_TRAVEL",
                "card used in " + Codes.unpack(card.attemptCountry(i)) + " "
                        + Durations.of(agoSeconds) + " ago, now in "
                        + ctx.auth().merchantCountry() + " (window "
                        + Durations.of(t.windowSeconds()) + ")",
                300,
                DecisionStatus.REVIEW);
    }
}
