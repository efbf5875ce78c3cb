package dev.payproc.bench.faults.verdict;

import static dev.payproc.bench.faults.verdict.Lines.assertFailsFor;
import static dev.payproc.bench.faults.verdict.Lines.assertPasses;
import static dev.payproc.bench.faults.verdict.Lines.audit;
import static dev.payproc.bench.faults.verdict.Lines.load;
import static dev.payproc.bench.faults.verdict.Lines.retry;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class CrashVerdictTest {
    /** A kill under load: some requests got no answer (stream errors) or a refused connection, none anything else. */
    static final String LOAD =
            "sent=1100 s201=900 s200=0 overloaded=0 unavailable=0 no_retry_after=0 other=0 refused_err=160 "
                    + "stream_err=40 tput_201=100 p99_ms=40.0 max_ms=900.0 p99_201_ms=30.0 p99_503_ms=0.0 p99_201_steady_ms=30.0 "
                    + "p99_503_steady_ms=0.0 degraded=200 p99_degraded_ms=2100.0 max_degraded_ms=2400.0 slow=0 first201_after_ms=1800 "
                    + "ready_down=0/0 ready_back_ms=1700 heap_peak_mb=200 heap_live_peak_mb=60 heap_max_mb=1024 in_flight_peak=40 "
                    + "server_p99_ms=8.0 unfinished=0 driver_cores=0.20 driver_cpu_us_per_request=90.0 driver_lag_p99_ms=1.0";

    @Test
    void passesWhenNothingIsLostOrDoubledAndTheRestartWorked() {
        Verdict v = CrashVerdict.judge(2, load(LOAD), retry(), audit(), 2_300, 0);
        assertPasses(v);
        assertTrue(
                v.line()
                        .startsWith(
                                "crash #2: PASS 900 acknowledged, 900 found, 0 duplicated, 0 orphans; recovery 2300 ms"),
                v.line());
        assertTrue(
                v.line()
                        .contains(
                                "3 committed but unanswered at the crash (answered on retry), 40 retried, 0 still failing; "
                                        + "p99 while degraded 2100.0 ms; reconciliation 200"),
                v.line());
    }

    @ParameterizedTest
    @MethodSource("auditFailures")
    void failsOnTheAudit(String replaced, String reason) {
        assertFailsFor(CrashVerdict.judge(1, load(LOAD), retry(), audit(replaced), 2_300, 0), reason);
    }

    static Stream<String[]> auditFailures() {
        return Arrays.stream(Lines.AUDIT_FAILURES);
    }

    @Test
    void failsWhenRetriesStillFail() {
        assertFailsFor(
                CrashVerdict.judge(1, load(LOAD), retry("still_failed=2"), audit(), 2_300, 0), "retries still failing");
    }

    @Test
    void failsOnOtherAnswers() {
        assertFailsFor(
                CrashVerdict.judge(1, load(LOAD, "other=1"), retry(), audit(), 2_300, 0),
                "answers other than 200/201/503");
    }

    @Test
    void failsOnRequestsNeverAnswered() {
        assertFailsFor(
                CrashVerdict.judge(1, load(LOAD, "unfinished=3"), retry(), audit(), 2_300, 0),
                "requests never answered");
    }

    @Test
    void failsWhenTheRestartNeededASecondStartUp() {
        Verdict v = CrashVerdict.judge(3, load(LOAD), retry(), audit(), 64_000, 1);
        assertFailsFor(v, "failed start-ups");
        assertTrue(v.line().contains("recovery 64000 ms (restart to ready, 1 failed start-ups)"), v.line());
        assertTrue(
                v.line().contains("; load: sent=1100 ")
                        && v.line().contains("; retry: retried=40 ")
                        && v.line().contains("; audit: acknowledged=900 "),
                "the raw figures are not in: " + v.line());
    }
}
