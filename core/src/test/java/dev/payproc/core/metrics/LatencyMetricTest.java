package dev.payproc.core.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class LatencyMetricTest {
    @Test
    void theWindowSlidesAndTotalsAccumulate() {
        LatencyMetric m = new LatencyMetric("t", 3);
        m.recordNanos(1_000);
        m.roll();
        m.recordNanos(2_000_000);
        m.recordNanos(2_000_000);
        m.roll();
        assertEquals(2, m.lastInterval().getTotalCount(), "the second just closed");
        assertEquals(3, m.snapshot().window().getTotalCount());
        m.roll();
        m.roll(); // the first second leaves the three-second window
        assertEquals(2, m.snapshot().window().getTotalCount());
        assertEquals(2_000_000, m.snapshot().window().getValueAtPercentile(1), 2_000_000 * 0.001);
        m.roll();
        m.roll();
        assertEquals(0, m.snapshot().window().getTotalCount(), "an idle window empties");
        assertEquals(3, m.snapshot().totalCount(), "totals since start stay");
        assertEquals(4_001_000, m.snapshot().totalSumNanos(), 4_001_000 * 0.001);
    }
}
