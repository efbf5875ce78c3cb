package dev.payproc.risk.stage;

import dev.payproc.core.port.DecisionHistory;
import dev.payproc.core.port.RiskRules;
import dev.payproc.risk.ComparisonReport;
import dev.payproc.risk.RiskEngine;
import dev.payproc.risk.RiskSettings;
import dev.payproc.risk.json.RuleSetDocument;
import java.util.List;

/** The rule sets of the shards, administered through the {@link RiskRules} port. */
public final class RuleSetAdmin implements RiskRules {
    /** A document that parsed and passed every check, with its canonical rendering. */
    private record Parsed(RiskSettings settings, String document) implements Candidate {
        @Override
        public int version() {
            return settings.version();
        }
    }

    private final RiskShards shards;

    public RuleSetAdmin(RiskShards shards) {
        this.shards = shards;
    }

    @Override
    public int version() {
        return shards.settings().version();
    }

    @Override
    public String document() {
        return RuleSetDocument.render(shards.settings());
    }

    @Override
    public Checked check(String document) {
        RuleSetDocument.Result parsed = RuleSetDocument.parse(document == null ? "" : document);
        if (parsed instanceof RuleSetDocument.Invalid invalid) return new Checked(null, invalid.errors());
        RiskSettings settings = ((RuleSetDocument.Valid) parsed).settings();
        return new Checked(new Parsed(settings, RuleSetDocument.render(settings)), List.of());
    }

    @Override
    public void putInForce(Candidate candidate) {
        shards.update(settings(candidate));
    }

    @Override
    public void shadow(Candidate candidate) {
        shards.shadow(candidate == null ? null : settings(candidate));
    }

    @Override
    public Comparison shadowReport() {
        ComparisonReport report = shards.shadowReport();
        return report == null ? null : report.snapshot();
    }

    @Override
    public Comparison backtest(Candidate candidate, List<DecisionHistory.DecidedAttempt> attempts) {
        RiskSettings settings = settings(candidate);
        RiskEngine replay = new RiskEngine(settings);
        ComparisonReport report = new ComparisonReport(settings.version());
        for (DecisionHistory.DecidedAttempt a : attempts) {
            report.record(a.decidedStatus(), a.reasonCodes(), replay.decide(a.authorization(), a.atMillis()));
        }
        return report.snapshot();
    }

    private static RiskSettings settings(Candidate candidate) {
        if (candidate instanceof Parsed p) return p.settings();
        throw new IllegalArgumentException("not a candidate this engine checked: " + candidate);
    }
}
