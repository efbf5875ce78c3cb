package dev.payproc.bench.faults.verdict;

import static dev.payproc.bench.faults.verdict.Lines.assertFailsFor;
import static dev.payproc.bench.faults.verdict.Lines.assertPasses;
import static dev.payproc.bench.faults.verdict.Lines.audit;
import static dev.payproc.bench.faults.verdict.Lines.load;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class ShutdownVerdictTest {
    /** SIGTERM under load: what the processor took is answered, the rest refused unprocessed (GOAWAY, or after its exit). */
    static final String LOAD =
            "sent=800 s201=500 s200=0 overloaded=20 unavailable=10 no_retry_after=0 other=0 refused_err=270 "
                    + "stream_err=0 tput_201=100 p99_ms=60.0 max_ms=300.0 p99_201_ms=50.0 p99_503_ms=20.0 p99_201_steady_ms=50.0 "
                    + "p99_503_steady_ms=20.0 degraded=300 p99_degraded_ms=250.0 max_degraded_ms=300.0 slow=0 first201_after_ms=-1 "
                    + "ready_down=0/0 ready_back_ms=-1 heap_peak_mb=200 heap_live_peak_mb=60 heap_max_mb=1024 in_flight_peak=40 "
                    + "server_p99_ms=30.0 unfinished=0 driver_cores=0.20 driver_cpu_us_per_request=90.0 driver_lag_p99_ms=1.0";

    @Test
    void passesWhenItDrainsAndExitsZero() {
        Verdict v = ShutdownVerdict.judge(load(LOAD), audit(), 0, 640);
        assertPasses(v);
        assertTrue(
                v.line()
                        .startsWith(
                                "graceful shutdown: PASS exit 0 after 640 ms; 500 x 201, 20+10 x 503, 0 unanswered, "
                                        + "270 refused unprocessed (GOAWAY or after exit)"),
                v.line());
    }

    @Test
    void failsOnANonZeroExit() {
        assertFailsFor(ShutdownVerdict.judge(load(LOAD), audit(), 137, 30_000), "exit status 137");
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "stream_err=1 | requests sent but never answered",
                "unfinished=1 | requests sent but never answered",
                "other=1 | answers other than 201/503 with Retry-After",
                "no_retry_after=1 | answers other than 201/503 with Retry-After",
            })
    void failsOnTheLoad(String replaced, String reason) {
        assertFailsFor(ShutdownVerdict.judge(load(LOAD, replaced), audit(), 0, 640), reason);
    }

    @ParameterizedTest
    @MethodSource("auditFailures")
    void failsOnTheAudit(String replaced, String reason) {
        assertFailsFor(ShutdownVerdict.judge(load(LOAD), audit(replaced), 0, 640), reason);
    }

    static Stream<String[]> auditFailures() {
        return Arrays.stream(Lines.AUDIT_FAILURES);
    }
}
