package dev.payproc.risk;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

class ActivityRingTest {
    @Test
    void countsEventsStrictlyAfterATime() {
        ActivityRing ring = new ActivityRing(8);
        assertEquals(0, ring.countAfter(0));
        assertEquals(Long.MIN_VALUE, ring.lastMillis());
        for (long t = 10; t <= 50; t += 10) ring.add(t);
        assertEquals(5, ring.countAfter(9));
        assertEquals(4, ring.countAfter(10));
        assertEquals(1, ring.countAfter(49));
        assertEquals(0, ring.countAfter(50));
        assertEquals(50, ring.lastMillis());
    }

    @Test
    void pastItsCapacityItOverwritesTheOldestSoACountSaturates() {
        ActivityRing ring = new ActivityRing(4);
        for (long t = 1; t <= 10; t++) ring.add(t);
        assertEquals(4, ring.countAfter(0), "saturates at the capacity");
        assertEquals(2, ring.countAfter(8));
        assertEquals(10, ring.lastMillis());
    }

    @Test
    void aGrownCopyKeepsTheEventsInOrderAndHoldsMore() {
        ActivityRing ring = new ActivityRing(4);
        for (long t = 1; t <= 6; t++) ring.add(t);
        ActivityRing grown = ring.grownTo(8);
        assertEquals(8, grown.capacity());
        assertEquals(4, grown.countAfter(0), "the four newest survived");
        for (long t = 7; t <= 10; t++) grown.add(t);
        assertEquals(8, grown.countAfter(0));
        assertEquals(3, grown.countAfter(7));
    }

    @Test
    void attemptsFromSeveralThreadsAreAllCounted() throws InterruptedException {
        ActivityRing ring = new ActivityRing(100_000);
        int threads = 4;
        int each = 20_000;
        CountDownLatch start = new CountDownLatch(1);
        Thread[] workers = new Thread[threads];
        for (int w = 0; w < threads; w++) {
            workers[w] = new Thread(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int i = 0; i < each; i++) ring.add(1_000 + i);
            });
            workers[w].start();
        }
        start.countDown();
        for (Thread w : workers) w.join();
        assertEquals(threads * each, ring.countAfter(999));
    }

    @Test
    void merchantActivityGrowsAFullRingUpToTheCapacityTheRulesNeed() {
        MerchantActivity m = new MerchantActivity();
        for (int i = 0; i < 100; i++) m.recordTerminal("t-1", m.terminal("t-1"), 1_000 + i, 0, 50);
        assertEquals(50, m.terminal("t-1").capacity(), "grown, but not past what counting the limit needs");
        assertEquals(50, m.terminal("t-1").countAfter(0));
        for (int i = 0; i < 20; i++) m.recordAttempt(m.attempts(), 1_000 + i, 0, 1_000);
        assertEquals(20, m.attempts().countAfter(0));
        // Old events do not make a ring grow: only a window full of recent ones does.
        MerchantActivity quiet = new MerchantActivity();
        for (int i = 0; i < 100; i++)
            quiet.recordTerminal("t-2", quiet.terminal("t-2"), i * 1_000L, i * 1_000L - 500, 50);
        assertEquals(8, quiet.terminal("t-2").capacity());
    }
}
