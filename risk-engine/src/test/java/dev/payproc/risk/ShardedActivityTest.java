package dev.payproc.risk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.payproc.core.model.Decision;
import dev.payproc.core.model.DecisionStatus;
import org.junit.jupiter.api.Test;

/** Shards own their cards but share terminal and merchant activity, so those limits hold across shards. */
class ShardedActivityTest {
    @Test
    void terminalVelocityCountsAttemptsDecidedOnEveryShard() {
        ActivityBoard board = new ActivityBoard();
        RiskEngine a = new RiskEngine(RiskSettings.defaults(), board);
        RiskEngine b = new RiskEngine(RiskSettings.defaults(), board);
        long t = 5_000_000;
        // The default terminal limit is 120 in 60 s; 120 distinct cards alternate between two shards.
        for (int i = 0; i < 120; i++) {
            Decision d = (i % 2 == 0 ? a : b).decide(RiskEngineTest.auth("card-" + i, 100, "EUR"), t + i);
            assertEquals(DecisionStatus.APPROVED, d.status(), "attempt " + (i + 1));
        }
        Decision past = b.decide(RiskEngineTest.auth("card-120", 100, "EUR"), t + 120);
        assertEquals(DecisionStatus.DECLINED, past.status());
        assertEquals("VELOCITY_TERMINAL", past.reasons().get(0).code());
        assertTrue(
                past.reasons().get(0).message().startsWith("121 attempts on terminal t-1"),
                past.reasons().get(0).message());
        // Cards stay with their own shard: each tracked only the cards it decided.
        assertEquals(60, a.trackedCards());
        assertEquals(61, b.trackedCards());
    }
}
