package dev.payproc.core.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class PipelineMetricsTest {
    @Test
    void responseSeriesAreCappedWhateverTheLabels() {
        PipelineMetrics metrics = new PipelineMetrics();
        for (int i = 0; i < 10_000; i++) metrics.countResponse("GET /x/" + i, 404);
        metrics.countResponse("GET /x/0", 404); // a series kept before the cap still counts as itself
        assertEquals(
                PipelineMetrics.MAX_RESPONSE_SERIES + 1, metrics.responses().size());
        assertEquals(
                10_000 - PipelineMetrics.MAX_RESPONSE_SERIES,
                metrics.responses().get("other 404").sum());
        assertEquals(2, metrics.responses().get("GET /x/0 404").sum());
    }
}
