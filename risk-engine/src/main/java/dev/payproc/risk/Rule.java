package dev.payproc.risk;

/**
 * One risk rule. It reads the authorization and the history before this attempt, and reports through
 * {@link RuleOutcome#fire} when it fires. Rules run on the risk thread and must not block.
 */
public interface Rule {
    void evaluate(RuleContext ctx, RuleOutcome out);
}
