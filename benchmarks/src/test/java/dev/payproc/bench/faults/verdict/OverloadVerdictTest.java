package dev.payproc.bench.faults.verdict;

import static dev.payproc.bench.faults.verdict.Lines.assertFailsFor;
import static dev.payproc.bench.faults.verdict.Lines.assertPasses;
import static dev.payproc.bench.faults.verdict.Lines.audit;
import static dev.payproc.bench.faults.verdict.Lines.load;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class OverloadVerdictTest {
    /** Twice a probed 7,000/s behind a limit of 256: the bound is 2000 * 256 / 7000 + 1000 = 1073 ms. */
    static final String LOAD =
            "sent=210000 s201=60000 s200=0 overloaded=150000 unavailable=0 no_retry_after=0 other=0 refused_err=0 "
                    + "stream_err=0 tput_201=4000 p99_ms=900.0 max_ms=1500.0 p99_201_ms=1200.0 p99_503_ms=700.0 p99_201_steady_ms=1073.9 "
                    + "p99_503_steady_ms=600.0 degraded=210000 p99_degraded_ms=900.0 max_degraded_ms=1500.0 slow=0 first201_after_ms=-1 "
                    + "ready_down=0/0 ready_back_ms=-1 heap_peak_mb=420 heap_live_peak_mb=140 heap_max_mb=1024 in_flight_peak=256 "
                    + "server_p99_ms=150.0 unfinished=0 unsent=0 stream_wait_peak=12 probed_max=7000 offered=14000 probe_overloaded=420 driver_cores=0.80 "
                    + "driver_cpu_us_per_request=27.0 driver_lag_p99_ms=4.0";

    @Test
    void theLatencyBoundFollowsLittlesLaw() {
        assertEquals(1073, OverloadVerdict.latencyBoundMs(256, 7000));
        assertEquals(1512, OverloadVerdict.latencyBoundMs(256, 1000));
    }

    @Test
    void passesWhenTheExcessIsRefusedAndGoodputHolds() {
        Verdict v = OverloadVerdict.judge(load(LOAD), audit(), 256, 512);
        assertPasses(v);
        assertTrue(
                v.line()
                        .startsWith(
                                "overload: PASS max 7000/s closed loop (420 x 503 overloaded in the probe), offered 14000/s: goodput 4000/s, 60000 x 201 "
                                        + "(p99 1073.9 ms after the onset, bound 1073 ms; 1200.0 ms overall), 150000 x 503 overloaded"),
                v.line());
        assertTrue(v.line().contains("the driver used 0.80 cores (27.0 us of CPU a request)"), v.line());
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "overloaded=0 | no 503 overloaded",
                "other=1 | answers other than 201/503 overloaded",
                "unavailable=1 | answers other than 201/503 overloaded",
                "stream_err=1 | answers other than 201/503 overloaded",
                "refused_err=1 | answers other than 201/503 overloaded",
                "in_flight_peak=257 | more than 256 requests admitted",
                "unfinished=1 | requests never answered",
                "unsent=1 | requests the driver never sent",
                "no_retry_after=1 | 503 without Retry-After",
                "p99_201_steady_ms=1074.0 | p99 of admitted requests above 1073 ms",
                "p99_503_steady_ms=1074.0 | p99 of 503 overloaded above 1073 ms",
                "tput_201=3499 | goodput below half the maximum",
                "heap_live_peak_mb=513 | heap held above 512 MB",
            })
    void failsOnTheLoad(String replaced, String reason) {
        assertFailsFor(OverloadVerdict.judge(load(LOAD, replaced), audit(), 256, 512), reason);
    }

    @Test
    void goodputOfHalfTheMaximumIsEnough() {
        assertPasses(OverloadVerdict.judge(load(LOAD, "tput_201=3500"), audit(), 256, 512));
    }

    /**
     * Goodput is judged against the maximum the run probed on its own warmed processor right before the overload,
     * never against the suite's calibration (which the verdict does not take): a probe of 9,000/s needs 4,500/s even
     * where an older calibration of 7,000/s would have let 3,500/s pass, and a lower probe lowers the bar with it.
     */
    @Test
    void goodputIsJudgedAgainstTheProbeOfTheSameRun() {
        // The latency bound follows the probe too (1,056 ms at 9,000/s): kept within it here.
        String probed9000 = "probed_max=9000 offered=18000 p99_201_steady_ms=1000.0";
        Verdict v = OverloadVerdict.judge(load(LOAD, probed9000, "tput_201=4499"), audit(), 256, 512);
        assertFailsFor(v, "goodput below half the maximum");
        assertTrue(
                v.line()
                        .contains(
                                "max 9000/s closed loop (420 x 503 overloaded in the probe), offered 18000/s: goodput 4499/s"),
                v.line());
        assertPasses(OverloadVerdict.judge(load(LOAD, probed9000, "tput_201=4500"), audit(), 256, 512));
        assertPasses(
                OverloadVerdict.judge(load(LOAD, "probed_max=5000 offered=10000", "tput_201=2500"), audit(), 256, 512));
        assertFailsFor(
                OverloadVerdict.judge(load(LOAD, "probed_max=5000 offered=10000", "tput_201=2499"), audit(), 256, 512),
                "goodput below half the maximum");
    }

    @ParameterizedTest
    @MethodSource("auditFailures")
    void failsOnTheAudit(String replaced, String reason) {
        assertFailsFor(OverloadVerdict.judge(load(LOAD), audit(replaced), 256, 512), reason);
    }

    static Stream<String[]> auditFailures() {
        return Arrays.stream(Lines.AUDIT_FAILURES);
    }

    @Test
    void cannotJudgeARunWithoutAProbedMaximum() {
        assertThrows(
                IllegalArgumentException.class,
                () -> OverloadVerdict.judge(load(LOAD, "probed_max=9"), audit(), 256, 512));
        String unprobed =
                LOAD.replace(" unsent=0 stream_wait_peak=12 probed_max=7000 offered=14000 probe_overloaded=420", "");
        assertThrows(IllegalArgumentException.class, () -> OverloadVerdict.judge(load(unprobed), audit(), 256, 512));
    }
}
