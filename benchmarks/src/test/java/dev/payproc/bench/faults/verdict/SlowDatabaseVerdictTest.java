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

class SlowDatabaseVerdictTest {
    /** Every answer from PostgreSQL 200 ms late: bound 3 * 200 + 1000 = 1600 ms. */
    static final String LOAD =
            "sent=3000 s201=3000 s200=0 overloaded=0 unavailable=0 no_retry_after=0 other=0 refused_err=0 "
                    + "stream_err=0 tput_201=100 p99_ms=420.0 max_ms=700.0 p99_201_ms=420.0 p99_503_ms=0.0 p99_201_steady_ms=420.0 "
                    + "p99_503_steady_ms=0.0 degraded=1500 p99_degraded_ms=1600.9 max_degraded_ms=1700.0 slow=0 first201_after_ms=20 "
                    + "ready_down=0/26 ready_back_ms=300 heap_peak_mb=250 heap_live_peak_mb=80 heap_max_mb=1024 in_flight_peak=60 "
                    + "server_p99_ms=410.0 unfinished=0 driver_cores=0.22 driver_cpu_us_per_request=80.0 driver_lag_p99_ms=1.0";

    /** The default derivation: min(4,220/s, 0.6 x 2 x 512 / 200 ms = 3,072/s). */
    static final SlowDatabaseLoad OFFERED = new SlowDatabaseLoad(4220, 2, 512, 200, 0.6);

    @Test
    void theLatencyBoundFollowsTheDelay() {
        assertEquals(1600, SlowDatabaseVerdict.latencyBoundMs(200));
        assertEquals(2500, SlowDatabaseVerdict.latencyBoundMs(500));
    }

    @Test
    void passesWhenSlowIsNotDown() {
        Verdict v = SlowDatabaseVerdict.judge(load(LOAD), audit(), OFFERED, true, 200, 512);
        assertPasses(v);
        assertTrue(
                v.line()
                        .startsWith(
                                "slow database: PASS offered 3072/s = min(background 4220/s, 0.6 x 2 writers x batch cap "
                                        + "512 / 200 ms = 3072/s of a ceiling of 5120/s); 900 acknowledged"),
                v.line());
        assertTrue(
                v.line()
                        .contains(
                                "3000 x 201 and nothing else; p99 while slow 1600.9 ms (bound 1600 ms), max 1700.0 ms, "
                                        + "p99 over the whole run 420.0 ms; ready 503 in 0/26 samples; first 201 20 ms after the delay ended"),
                v.line());
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "s201=0 | answers other than 201 or transport errors",
                "overloaded=1 | answers other than 201 or transport errors",
                "unavailable=1 | answers other than 201 or transport errors",
                "other=1 | answers other than 201 or transport errors",
                "stream_err=1 | answers other than 201 or transport errors",
                "refused_err=1 | answers other than 201 or transport errors",
                "slow=1 | requests slower than 6 s",
                "unfinished=1 | requests slower than 6 s",
                "p99_degraded_ms=1601.0 | p99 while slow above 1600 ms",
                "ready_down=1/26 | /health/ready not 200 while the database was slow",
                "first201_after_ms=-1 | no 201 after the delay ended",
                "heap_live_peak_mb=513 | heap held above 512 MB",
            })
    void failsOnTheLoad(String replaced, String reason) {
        assertFailsFor(SlowDatabaseVerdict.judge(load(LOAD, replaced), audit(), OFFERED, true, 200, 512), reason);
    }

    @Test
    void theDelayIsASetting() {
        assertPasses(SlowDatabaseVerdict.judge(
                load(LOAD, "p99_degraded_ms=2400.0"),
                audit(),
                new SlowDatabaseLoad(4220, 2, 512, 500, 0.6),
                true,
                500,
                512));
        assertFailsFor(
                SlowDatabaseVerdict.judge(
                        load(LOAD), audit(), new SlowDatabaseLoad(4220, 2, 512, 100, 0.6), true, 100, 512),
                "p99 while slow above 1300 ms");
    }

    @Test
    void failsWhenTheProcessorDidNotSurvive() {
        assertFailsFor(
                SlowDatabaseVerdict.judge(load(LOAD), audit(), OFFERED, false, 200, 512),
                "the processor did not survive");
    }

    @ParameterizedTest
    @MethodSource("auditFailures")
    void failsOnTheAudit(String replaced, String reason) {
        assertFailsFor(SlowDatabaseVerdict.judge(load(LOAD), audit(replaced), OFFERED, true, 200, 512), reason);
    }

    static Stream<String[]> auditFailures() {
        return Arrays.stream(Lines.AUDIT_FAILURES);
    }

    @Test
    void cannotJudgeALoadDerivedForAnotherDelay() {
        assertThrows(
                IllegalArgumentException.class,
                () -> SlowDatabaseVerdict.judge(load(LOAD), audit(), OFFERED, true, 500, 512));
    }

    @Test
    void theDerivationIsInTheFiguresOfAFail() {
        Verdict v = SlowDatabaseVerdict.judge(load(LOAD, "p99_degraded_ms=1601.0"), audit(), OFFERED, true, 200, 512);
        assertTrue(
                v.line()
                        .contains(
                                "; offered: fast_rate=4220 writers=2 batch_cap=512 slow_db_ms=200 fraction=0.6 slow_db_rate=3072;"),
                v.line());
    }
}
