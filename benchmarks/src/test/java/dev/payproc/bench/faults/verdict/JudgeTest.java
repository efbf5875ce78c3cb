package dev.payproc.bench.faults.verdict;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The entry point faults.sh calls: figures from files and arguments, the verdict line, the exit status. */
class JudgeTest {
    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @Test
    void theBackgroundLoadIsHalfTheCalibratedGoodputAndAtLeastFifty() {
        assertEquals(3_500, Judge.backgroundRate(Lines.load(CrashVerdictTest.LOAD, "tput_201=7001")));
        assertEquals(50, Judge.backgroundRate(Lines.load(CrashVerdictTest.LOAD, "tput_201=99")));
    }

    @Test
    void theSlowDatabaseLoadIsPrintedAsFiguresAndAsTheFormula() throws Exception {
        assertEquals(
                0,
                judge("slow_db_rate", "fast_rate=4220", "writers=2", "batch_cap=512", "slow_db_ms=200"),
                err.toString());
        assertEquals(
                List.of(
                        "RESULT fast_rate=4220 writers=2 batch_cap=512 slow_db_ms=200 fraction=0.6 slow_db_rate=3072",
                        "offered 3072/s = min(background 4220/s, 0.6 x 2 writers x batch cap 512 / 200 ms = 3072/s of a "
                                + "ceiling of 5120/s)"),
                out.toString().lines().toList());

        out.reset();
        assertEquals(
                0,
                judge(
                        "slow_db_rate",
                        "fast_rate=1700",
                        "writers=2",
                        "batch_cap=512",
                        "slow_db_ms=200",
                        "fraction=0.2"));
        assertTrue(
                out.toString()
                        .startsWith("RESULT fast_rate=1700 writers=2 batch_cap=512 slow_db_ms=200 fraction=0.2 "
                                + "slow_db_rate=1024\n"),
                out.toString());
        assertEquals(2, judge("slow_db_rate", "fast_rate=1700", "writers=2", "batch_cap=512", "slow_db_ms=0"));
        assertEquals(2, judge("slow_db_rate", "fast_rate=1700", "batch_cap=512", "slow_db_ms=200"));
    }

    @Test
    void theSlowDatabaseVerdictReadsTheLoadItWasOffered() throws Exception {
        Path offered = dir.resolve("slow-db-rate.out");
        assertEquals(
                0,
                judge("slow_db_rate", "fast_rate=4220", "writers=2", "batch_cap=512", "slow_db_ms=200"),
                err.toString());
        Files.writeString(offered, out.toString());
        out.reset();
        String[] slow = {
            "slow_db",
            "load=" + file("load", SlowDatabaseVerdictTest.LOAD),
            "offered=" + offered,
            "audit=" + file("audit", Lines.AUDIT_OK),
            "survived=1",
            "slow_db_ms=200",
            "heap_bound_mb=512"
        };
        assertEquals(0, judge(slow), err.toString());
        assertTrue(out.toString().startsWith("slow database: PASS offered 3072/s = min("), out.toString());
        slow[5] = "slow_db_ms=500";
        assertEquals(2, judge(slow));
    }

    @Test
    void exitsZeroOnPassAndOneOnFail() throws Exception {
        String[] crash = {
            "crash",
            "number=1",
            "load=" + file("load", Lines.with(CrashVerdictTest.LOAD)),
            "retry=" + file("retry", Lines.RETRY_OK),
            "audit=" + file("audit", Lines.AUDIT_OK),
            "recovery_ms=2300",
            "failed_starts=0"
        };
        assertEquals(0, judge(crash), err.toString());
        assertTrue(out.toString().startsWith("crash #1: PASS "), out.toString());

        out.reset();
        crash[3] = "retry=" + file("retry", Lines.with(Lines.RETRY_OK, "still_failed=1"));
        assertEquals(1, judge(crash));
        assertTrue(
                out.toString().startsWith("crash #1: FAIL ") && out.toString().contains("retries still failing"),
                out.toString());
    }

    @Test
    void exitsTwoWhenItCannotJudge() throws Exception {
        assertEquals(2, judge("start_ups", "failed=0"));
        assertTrue(err.toString().contains("starts"), err.toString());
        assertEquals(2, judge("shutdown", "load=" + dir.resolve("missing"), "audit=x", "exit_status=0", "exit_ms=1"));
        assertEquals(
                2,
                judge(
                        "overload",
                        "load=" + file("load", Lines.with(OverloadVerdictTest.LOAD, "probed_max=0")),
                        "audit=" + file("audit", Lines.AUDIT_OK),
                        "limit=256",
                        "heap_bound_mb=512"));
        assertTrue(err.toString().contains("the probe found no throughput to double"), err.toString());
        assertEquals(2, judge("no_such_scenario"));
        assertEquals("", out.toString());
    }

    private Path file(String name, String figures) throws Exception {
        Path f = dir.resolve(name + ".out");
        Files.write(f, List.of("first other: 400 invalid", "RESULT " + figures));
        return f;
    }

    private int judge(String... argv) {
        return Judge.run(
                argv,
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }
}
