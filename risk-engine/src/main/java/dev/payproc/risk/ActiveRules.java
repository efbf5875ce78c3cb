package dev.payproc.risk;

import dev.payproc.core.model.Decision;
import dev.payproc.core.model.DecisionStatus;
import dev.payproc.risk.rules.AmountAnomalyRule;
import dev.payproc.risk.rules.AmountLimitRule;
import dev.payproc.risk.rules.BlocklistRule;
import dev.payproc.risk.rules.CardVelocityRule;
import dev.payproc.risk.rules.DailyAmountRule;
import dev.payproc.risk.rules.DailyCountRule;
import dev.payproc.risk.rules.ImpossibleTravelRule;
import dev.payproc.risk.rules.LargeValueRule;
import dev.payproc.risk.rules.MerchantVelocityRule;
import dev.payproc.risk.rules.StepUpRule;
import dev.payproc.risk.rules.StructuringRule;
import dev.payproc.risk.rules.TerminalVelocityRule;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToIntFunction;

/**
 * Settings compiled for the hot path when they are set: the rules (in the order their reasons are listed),
 * and, over the defaults and every merchant's thresholds, how long each kind of history must be kept and
 * how many events its ring must hold to count past the largest limit; and the decision shared by every
 * authorization no rule fires for (most of them), so deciding those allocates nothing.
 */
record ActiveRules(
        RiskSettings settings,
        Rule[] rules,
        long cardHorizonMillis,
        int cardCapacity,
        long terminalHorizonMillis,
        int terminalCapacity,
        long merchantHorizonMillis,
        int merchantCapacity,
        Decision cleanApproval) {

    static ActiveRules of(RiskSettings s) {
        List<Thresholds> all = new ArrayList<>(s.merchants().values());
        all.add(s.thresholds());
        Rule[] rules = { // an array: iterating it allocates nothing
            new BlocklistRule(s.blocklist()),
            new AmountLimitRule(),
            new CardVelocityRule(),
            new TerminalVelocityRule(),
            new MerchantVelocityRule(),
            new DailyCountRule(),
            new DailyAmountRule(),
            new StepUpRule(),
            new ImpossibleTravelRule(),
            new AmountAnomalyRule(),
            new StructuringRule(),
            new LargeValueRule()
        };
        return new ActiveRules(
                s,
                rules,
                1000L
                        * max(
                                all,
                                t -> Math.max(
                                        Math.max(
                                                t.velocity().card().windowSeconds(),
                                                t.daily().windowSeconds()),
                                        Math.max(
                                                t.impossibleTravel().windowSeconds(),
                                                t.structuring().windowSeconds()))),
                1
                        + max(
                                all,
                                t -> Math.max(
                                        Math.max(
                                                t.velocity().card().limit(),
                                                t.daily().cardCount()),
                                        t.structuring().count())),
                1000L * max(all, t -> t.velocity().terminal().windowSeconds()),
                1 + max(all, t -> t.velocity().terminal().limit()),
                1000L * max(all, t -> t.velocity().merchant().windowSeconds()),
                1 + max(all, t -> t.velocity().merchant().limit()),
                new Decision(DecisionStatus.APPROVED, 0, List.of(), s.version()));
    }

    private static int max(List<Thresholds> all, ToIntFunction<Thresholds> f) {
        return all.stream().mapToInt(f).max().orElseThrow();
    }
}
