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
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class DatabaseOutageVerdictTest {
    /** 15 s without PostgreSQL: fast 503 unavailable with Retry-After, not ready throughout, back without a restart. */
    static final String LOAD =
            "sent=3200 s201=1700 s200=0 overloaded=0 unavailable=1500 no_retry_after=0 other=0 refused_err=0 "
                    + "stream_err=0 tput_201=100 p99_ms=1100.0 max_ms=2100.0 p99_201_ms=40.0 p99_503_ms=1000.0 p99_201_steady_ms=40.0 "
                    + "p99_503_steady_ms=1000.0 degraded=1500 p99_degraded_ms=1050.0 max_degraded_ms=2100.0 slow=0 first201_after_ms=1400 "
                    + "ready_down=18/18 ready_back_ms=2600 heap_peak_mb=260 heap_live_peak_mb=90 heap_max_mb=1024 in_flight_peak=120 "
                    + "server_p99_ms=900.0 unfinished=0 driver_cores=0.25 driver_cpu_us_per_request=85.0 driver_lag_p99_ms=1.2";

    @Test
    void passesWhenItFailsFastAndRecoversWithoutARestart() {
        Verdict v = DatabaseOutageVerdict.judge(load(LOAD), retry(), audit(), true, 512);
        assertPasses(v);
        assertTrue(
                v.line()
                        .contains(
                                "1500 answered 503 unavailable (p99 while degraded 1050.0 ms, max 2100.0 ms, 0 over 6 s, "
                                        + "0 without Retry-After); ready 503 in 18/18 samples; recovery without restart: first 201 1400 ms and ready 2600 ms"),
                v.line());
        assertTrue(
                v.line().contains("heap peak 90 MB held after GC (bound 512 MB), 260 MB used, of 1024 MB"), v.line());
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "unavailable=0 | no 503 unavailable while the database was down",
                "other=1 | answers other than 201/503 or transport errors",
                "stream_err=1 | answers other than 201/503 or transport errors",
                "refused_err=1 | answers other than 201/503 or transport errors",
                "no_retry_after=1 | 503 without Retry-After",
                "slow=1 | requests slower than 6 s",
                "unfinished=1 | requests slower than 6 s",
                "ready_down=17/18 | /health/ready not 503 throughout the outage",
                "ready_down=0/0 | /health/ready not 503 throughout the outage",
                "heap_live_peak_mb=513 | heap held above 512 MB",
                "first201_after_ms=-1 | no 201 after the database returned",
            })
    void failsOnTheLoad(String replaced, String reason) {
        assertFailsFor(DatabaseOutageVerdict.judge(load(LOAD, replaced), retry(), audit(), true, 512), reason);
    }

    @Test
    void theHeapBoundIsASetting() {
        assertPasses(DatabaseOutageVerdict.judge(load(LOAD, "heap_live_peak_mb=600"), retry(), audit(), true, 600));
        assertFailsFor(DatabaseOutageVerdict.judge(load(LOAD), retry(), audit(), true, 64), "heap held above 64 MB");
    }

    @Test
    void failsWhenTheProcessorDidNotSurvive() {
        assertFailsFor(
                DatabaseOutageVerdict.judge(load(LOAD), retry(), audit(), false, 512), "the processor did not survive");
    }

    @Test
    void failsWhenRetriesStillFail() {
        assertFailsFor(
                DatabaseOutageVerdict.judge(load(LOAD), retry("still_failed=1"), audit(), true, 512),
                "retries still failing");
    }

    @ParameterizedTest
    @MethodSource("auditFailures")
    void failsOnTheAudit(String replaced, String reason) {
        assertFailsFor(DatabaseOutageVerdict.judge(load(LOAD), retry(), audit(replaced), true, 512), reason);
    }

    static Stream<String[]> auditFailures() {
        return Arrays.stream(Lines.AUDIT_FAILURES);
    }
}
