package dev.payproc.bench.faults.verdict;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class JudgeTest {
    @Test
    void theBackgroundLoadIsHalfTheCalibratedGoodputAndAtLeastFifty() {
        assertEquals(3_500, Judge.backgroundRate(Lines.load(CrashVerdictTest.LOAD, "tput_201=7001")));
        assertEquals(50, Judge.backgroundRate(Lines.load(CrashVerdictTest.LOAD, "tput_201=99")));
    }
}
