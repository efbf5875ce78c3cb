package dev.payproc.bench.faults.verdict;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/** Figures for the verdict tests, written as the driver and the audit write theirs: a base line with some figures replaced. */
final class Lines {
    static final String AUDIT_OK =
            "acknowledged=900 found=900 duplicated=0 orphans=0 unacked_commits=0 in_doubt=3 unbalanced=0 reconciliation=200";
    static final String RETRY_OK =
            "retried=40 rounds=1 still_failed=0 sent=40 s201=37 s200=3 overloaded=0 unavailable=0 no_retry_after=0 "
                    + "other=0 refused_err=0 stream_err=0 tput_201=37 p99_ms=12.0 max_ms=15.0 p99_201_ms=12.0 p99_503_ms=0.0 "
                    + "p99_201_steady_ms=0.0 p99_503_steady_ms=0.0 degraded=0 p99_degraded_ms=0.0 max_degraded_ms=0.0 slow=0 first201_after_ms=-1";

    /** Each way the audit can fail, and the reason it gives. */
    static final String[][] AUDIT_FAILURES = {
        {"found=899", "audit: 1 of 900 acknowledged not found as answered"},
        {"duplicated=2", "audit: 2 committed twice"},
        {"orphans=1", "audit: 1 payments without their key"},
        {"unacked_commits=4", "audit: 4 committed but never answered 2xx"},
        {"unbalanced=1", "audit: postings unbalanced in 1 currencies"},
        {"reconciliation=409", "audit: reconciliation answered 409"},
    };

    private Lines() {}

    static void assertFailsFor(Verdict verdict, String reason) {
        assertFalse(verdict.passed(), verdict.line());
        assertTrue(verdict.line().startsWith(verdict.name() + ": FAIL "), verdict.line());
        assertTrue(
                verdict.line().contains(" -- ") && verdict.line().contains(reason),
                "no '" + reason + "' in: " + verdict.line());
        assertEquals(1, verdict.failed().size(), verdict.line());
    }

    static void assertPasses(Verdict verdict) {
        assertTrue(verdict.passed(), verdict.line());
        assertTrue(verdict.line().startsWith(verdict.name() + ": PASS "), verdict.line());
        assertFalse(verdict.line().contains(" -- "), verdict.line());
    }

    /** {@code base} with each {@code k=v} of {@code replaced} put in (or added). */
    static String with(String base, String... replaced) {
        Map<String, String> values = new LinkedHashMap<>();
        for (String line : new String[] {base, String.join(" ", replaced)}) {
            for (String pair : line.trim().split("\\s+")) {
                if (pair.isEmpty()) continue;
                int eq = pair.indexOf('=');
                values.put(pair.substring(0, eq), pair.substring(eq + 1));
            }
        }
        return values.entrySet().stream()
                .map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining(" "));
    }

    static LoadFigures load(String base, String... replaced) {
        return LoadFigures.parse(Figures.parse(with(base, replaced)));
    }

    static RetryFigures retry(String... replaced) {
        return RetryFigures.parse(Figures.parse(with(RETRY_OK, replaced)));
    }

    static AuditFigures audit(String... replaced) {
        return AuditFigures.parse(Figures.parse(with(AUDIT_OK, replaced)));
    }
}
