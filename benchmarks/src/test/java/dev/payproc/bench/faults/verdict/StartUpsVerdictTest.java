package dev.payproc.bench.faults.verdict;

import static dev.payproc.bench.faults.verdict.Lines.assertFailsFor;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class StartUpsVerdictTest {
    @Test
    void passesWhenEveryStartUpSucceeded() {
        assertEquals(
                "start-ups: PASS 0 of 7 processor start-ups failed",
                StartUpsVerdict.judge(0, 7).line());
    }

    @Test
    void failsOnAFailedStartUp() {
        Verdict v = StartUpsVerdict.judge(1, 8);
        assertFailsFor(v, "1 start-ups failed");
        assertEquals("start-ups: FAIL 1 of 8 processor start-ups failed -- 1 start-ups failed", v.line());
    }
}
