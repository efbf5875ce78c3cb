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
