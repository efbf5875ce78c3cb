package dev.payproc.risk;

import dev.payproc.core.model.Decision;
import dev.payproc.core.model.Reason;
import dev.payproc.core.port.RiskRules;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * How a candidate rule set would have decided compared with the one that did: decisions compared, how many
 * would have changed, by outcome transition ({@code APPROVED->DECLINED}) and by rule (a rule that fired in
 * one decision and not in the other). Any thread records and reads: a shadow's report is shared by every risk
 * shard, so its counters are adders.
 */
public final class ComparisonReport {
    private final int candidateVersion;
    private final LongAdder compared = new LongAdder();
    private final LongAdder changed = new LongAdder();
    private final Map<String, LongAdder> transitions = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> rulesAdded = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> rulesRemoved = new ConcurrentHashMap<>();

    public ComparisonReport(int candidateVersion) {
        this.candidateVersion = candidateVersion;
    }

    /** Compares a candidate decision with the actual outcome and the rule codes that fired for it. */
    public void record(String actualStatus, Set<String> actualCodes, Decision candidate) {
        compared.increment();
        String candidateStatus = candidate.status().name();
        if (!candidateStatus.equals(actualStatus)) {
            changed.increment();
            count(transitions, actualStatus + "->" + candidateStatus);
        }
        Set<String> candidateCodes = codes(candidate);
        for (String code : candidateCodes) if (!actualCodes.contains(code)) count(rulesAdded, code);
        for (String code : actualCodes) if (!candidateCodes.contains(code)) count(rulesRemoved, code);
    }

    public void record(Decision actual, Decision candidate) {
        record(actual.status().name(), codes(actual), candidate);
    }

    public static Set<String> codes(Decision d) {
        Set<String> out = new HashSet<>();
        for (Reason r : d.reasons()) out.add(r.code());
        return out;
    }

    private static void count(Map<String, LongAdder> map, String key) {
        map.computeIfAbsent(key, k -> new LongAdder()).increment();
    }

    /** A consistent-enough copy for rendering (counters move while traffic flows). */
    public RiskRules.Comparison snapshot() {
        return new RiskRules.Comparison(
                candidateVersion,
                compared.sum(),
                changed.sum(),
                sums(transitions),
                sums(rulesAdded),
                sums(rulesRemoved));
    }

    private static Map<String, Long> sums(Map<String, LongAdder> map) {
        Map<String, Long> out = new TreeMap<>();
        map.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }
}
