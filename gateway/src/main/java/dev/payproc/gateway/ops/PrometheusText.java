package dev.payproc.gateway.ops;

import dev.payproc.core.metrics.LatencyMetric;
import dev.payproc.core.metrics.PipelineMetrics;
import dev.payproc.core.model.DecisionStatus;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;

/** Renders the metrics in the Prometheus text exposition format (version 0.0.4). */
public final class PrometheusText {
    private static final MathContext SIGNIFICANT = new MathContext(6);
    private static final double[] QUANTILES = {0.5, 0.9, 0.99, 0.999, 1.0};

    private final StringBuilder sb = new StringBuilder(8192);

    public PrometheusText latencies(PipelineMetrics metrics) {
        header(
                "payproc_stage_latency_seconds",
                "summary",
                "Latency per stage and end to end; quantiles over the last " + PipelineMetrics.WINDOW_SECONDS + " s");
        for (LatencyMetric m : metrics.latencies()) {
            LatencyMetric.Snapshot s = m.snapshot();
            String labels = "stage=\"" + m.name() + "\"";
            quantiles("payproc_stage_latency_seconds", labels, s.window(), 1e-9);
            sample("payproc_stage_latency_seconds_count", labels, s.totalCount());
            sample("payproc_stage_latency_seconds_sum", labels, s.totalSumNanos() * 1e-9);
        }
        LatencyMetric.Snapshot lag = metrics.eventLoopLag.snapshot();
        header(
                "payproc_event_loop_lag_seconds",
                "summary",
                "How late the gateway's event loops run a 10 ms timer: the wait"
                        + " before a request is even read; quantiles over the last " + PipelineMetrics.WINDOW_SECONDS
                        + " s");
        quantiles("payproc_event_loop_lag_seconds", "", lag.window(), 1e-9);
        sample("payproc_event_loop_lag_seconds_count", "", lag.totalCount());
        sample("payproc_event_loop_lag_seconds_sum", "", lag.totalSumNanos() * 1e-9);
        LatencyMetric.Snapshot batch = metrics.batchSize.snapshot();
        header("payproc_settlement_batch_size", "summary", "Payments per committed database round trip");
        quantiles("payproc_settlement_batch_size", "", batch.window(), 1);
        sample("payproc_settlement_batch_size_count", "", batch.totalCount());
        sample("payproc_settlement_batch_size_sum", "", batch.totalSumNanos());
        return this;
    }

    public PrometheusText counters(PipelineMetrics metrics) {
        header("payproc_decisions_total", "counter", "Authorizations decided, by outcome");
        for (DecisionStatus s : DecisionStatus.values()) {
            sample("payproc_decisions_total", "status=\"" + s + "\"", metrics.decisions(s));
        }
        header("payproc_decision_reasons_total", "counter", "Rules fired, by reason code");
        for (Map.Entry<String, LongAdder> e : new TreeMap<>(metrics.reasons()).entrySet()) {
            sample(
                    "payproc_decision_reasons_total",
                    label("code", e.getKey()),
                    e.getValue().sum());
        }
        header("payproc_http_responses_total", "counter", "HTTP responses by route and status");
        for (Map.Entry<String, LongAdder> e : new TreeMap<>(metrics.responses()).entrySet()) {
            int sp = e.getKey().lastIndexOf(' ');
            sample(
                    "payproc_http_responses_total",
                    label("route", e.getKey().substring(0, sp)) + ","
                            + label("status", e.getKey().substring(sp + 1)),
                    e.getValue().sum());
        }
        return this;
    }

    /** {@code name="value"} with the value escaped as the text format asks: backslash, double quote and line feed. */
    public static String label(String name, String value) {
        StringBuilder b = new StringBuilder(name.length() + value.length() + 3)
                .append(name)
                .append("=\"");
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '\\' -> b.append("\\\\");
                case '"' -> b.append("\\\"");
                case '\n' -> b.append("\\n");
                default -> b.append(c);
            }
        }
        return b.append('"').toString();
    }

    public PrometheusText gauge(String name, String help, String labels, double value) {
        header(name, "gauge", help);
        return sample(name, labels, value);
    }

    public PrometheusText header(String name, String type, String help) {
        sb.append("# HELP ").append(name).append(' ').append(help).append('\n');
        sb.append("# TYPE ").append(name).append(' ').append(type).append('\n');
        return this;
    }

    public PrometheusText sample(String name, String labels, double value) {
        sb.append(name);
        if (!labels.isEmpty()) sb.append('{').append(labels).append('}');
        sb.append(' ');
        if (value == Math.rint(value) && Math.abs(value) < 1e15) sb.append((long) value);
        else
            sb.append(new BigDecimal(value)
                    .round(SIGNIFICANT)
                    .stripTrailingZeros()
                    .toPlainString());
        sb.append('\n');
        return this;
    }

    void quantiles(String name, String labels, Histogram h, double scale) {
        for (double q : QUANTILES) {
            String l = (labels.isEmpty() ? "" : labels + ",") + "quantile=\"" + q + "\"";
            double v =
                    h.getTotalCount() == 0 ? 0 : (q == 1.0 ? h.getMaxValue() : h.getValueAtPercentile(q * 100)) * scale;
            sample(name, l, v);
        }
    }

    @Override
    public String toString() {
        return sb.toString();
    }
}
