package dev.payproc.bench.faults.verdict;

import java.util.ArrayList;
import java.util.List;

/**
 * One scenario's outcome: PASS when no criterion failed. Its line names the scenario, the outcome and the figures a
 * reader needs; a FAIL adds every failed criterion and the raw figures behind them.
 */
public record Verdict(String name, String figures, List<String> failed, String details) {

    public Verdict {
        failed = List.copyOf(failed);
    }

    public boolean passed() {
        return failed.isEmpty();
    }

    public String line() {
        if (passed()) return name + ": PASS " + figures;
        return name + ": FAIL " + figures + " -- " + String.join("; ", failed)
                + (details.isEmpty() ? "" : "; " + details);
    }

    /** Collects the criteria a scenario failed, in the order they were checked. */
    static final class Criteria {
        private final List<String> failed = new ArrayList<>();

        Criteria require(boolean met, String reason) {
            if (!met) failed.add(reason);
            return this;
        }

        Criteria audit(AuditFigures audit) {
            failed.addAll(audit.problems());
            return this;
        }

        Verdict verdict(String name, String figures, String details) {
            return new Verdict(name, figures, failed, details);
        }
    }
}
