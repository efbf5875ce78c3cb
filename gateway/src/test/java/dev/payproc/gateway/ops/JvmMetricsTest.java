package dev.payproc.gateway.ops;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.ref.Reference;
import org.junit.jupiter.api.Test;

class JvmMetricsTest {
    private static final int MB = 1 << 20;

    @Test
    void heapAfterGcCountsWhatIsHeldAndNotTheGarbage() {
        byte[] held = new byte[64 * MB];
        System.gc();
        long holding = JvmMetrics.heapAfterLatestGc();
        Reference.reachabilityFence(held);
        assertTrue(holding >= 64L * MB, "after a collection, a held 64 MB array is counted: " + holding);

        held = null;
        System.gc();
        long released = JvmMetrics.heapAfterLatestGc();
        assertTrue(released <= holding - 48L * MB, "released: " + released + " holding: " + holding);
    }

    @Test
    void metricsPageHasIt() {
        PrometheusText out = new PrometheusText();
        JvmMetrics.appendTo(out);
        assertTrue(out.toString().contains("jvm_memory_used_after_gc_bytes{area=\"heap\"} "), out.toString());
    }
}
