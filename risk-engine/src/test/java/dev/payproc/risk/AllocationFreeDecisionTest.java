package dev.payproc.risk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.payproc.core.model.Authorization;
import dev.payproc.core.model.DecisionStatus;
import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

/**
 * The risk thread decides an ordinary authorization (a known card, no rule firing) without allocating: no
 * garbage per authorization on the thread that caps the pipeline. Counted with the JVM's per-thread allocation
 * counter, so it holds in the interpreter as well as after JIT compilation, not by escape analysis luck.
 */
class AllocationFreeDecisionTest {
    @Test
    void anOrdinaryApprovalAllocatesNothing() {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        RiskEngine engine = new RiskEngine(RiskSettings.defaults());
        Authorization auth = RiskEngineTest.auth("0123456789abcdef0123456789abcdef", 1250, "EUR");
        long past = RiskSettings.defaults().thresholds().daily().millis() + 1;
        long now = 1_000_000;
        engine.decide(auth, now); // first sight of the card and terminal creates their state
        for (int i = 0; i < 20_000; i++) engine.decide(auth, now += past);

        long id = Thread.currentThread().getId();
        long before = threads.getThreadAllocatedBytes(id);
        long afterEmpty = threads.getThreadAllocatedBytes(id); // what reading the counter itself costs
        for (int i = 0; i < 10_000; i++) engine.decide(auth, now += past);
        long after = threads.getThreadAllocatedBytes(id);

        // Any object per decision is at least 16 bytes, so fewer bytes than decisions means none allocates; the
        // JVM itself may allocate a few bytes once on this thread meanwhile (64 B was seen in one CI run).
        long bytes = after - afterEmpty - (afterEmpty - before);
        assertTrue(bytes < 10_000, "bytes allocated by 10,000 decisions: " + bytes);
        assertSame(engine.decide(auth, now += past), engine.decide(auth, now += past), "one shared clean approval");
        assertEquals(DecisionStatus.APPROVED, engine.decide(auth, now += past).status());
    }
}
