package dev.payproc.gateway.ops;

import dev.payproc.core.metrics.LatencyMetric;
import dev.payproc.core.metrics.PipelineMetrics;
import dev.payproc.core.model.DecisionStatus;
import dev.payproc.core.stage.ThreadOwner;
import java.util.ArrayDeque;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.HdrHistogram.Histogram;

/**
 * The last minutes of the pipeline for the SRE console, one {@link Second} per metrics roll: what happened in
 * that second (differences of the metrics' running counters), its latency quantiles, and the queue levels at its
 * end. Only the metrics thread writes; readers get an immutable list. Nothing here touches a request.
 */
public final class ConsoleHistory {
    private static final Logger LOG = Logger.getLogger(ConsoleHistory.class.getName());
    public static final int SECONDS = 300;

    private final ThreadOwner metricsThread = new ThreadOwner("the console history's last totals");

    /** Quantiles of one second in milliseconds. */
    public record Quantiles(double p50, double p99, double p999) {}

    /**
     * One second: decisions by outcome, terminal API responses ({@code /v1/*}) and those of them that failed by
     * status, reasons fired, latency by stage (absent for a stage without samples), the largest batch committed,
     * and the queue levels.
     */
    public record Second(
            long atMillis,
            double seconds,
            Map<DecisionStatus, Long> decisions,
            long requests,
            Map<Integer, Long> errors,
            Map<String, Long> reasons,
            Map<String, Quantiles> latency,
            long batchMax,
            int intakeDepth,
            int settlementDepth,
            int inFlight) {}

    /** Sums over a run of seconds. */
    record Totals(
            double seconds,
            long requests,
            Map<Integer, Long> errors,
            Map<DecisionStatus, Long> decisions,
            Map<String, Long> reasons) {
        public long decided() {
            return decisions.values().stream().mapToLong(Long::longValue).sum();
        }

        public long declined() {
            return decisions.getOrDefault(DecisionStatus.DECLINED, 0L);
        }

        public long errorCount() {
            return errors.values().stream().mapToLong(Long::longValue).sum();
        }

        public long serverErrors() {
            return errors.entrySet().stream()
                    .filter(e -> e.getKey() >= 500)
                    .mapToLong(Map.Entry::getValue)
                    .sum();
        }

        public double perSecond(long count) {
            return seconds <= 0 ? 0 : count / seconds;
        }
    }

    private final PipelineMetrics metrics;
    private final PipelineGauges gauges;
    private final ArrayDeque<Second> ring = new ArrayDeque<>(SECONDS);
    private volatile List<Second> published = List.of();
    private long[] lastDecisions;
    private Map<String, Long> lastReasons;
    private Map<String, Long> lastResponses;
    private long lastNanos;

    public ConsoleHistory(PipelineMetrics metrics, PipelineGauges gauges) {
        this.metrics = metrics;
        this.gauges = gauges;
        this.lastDecisions = decisionTotals();
        this.lastReasons = totals(metrics.reasons());
        this.lastResponses = totals(metrics.responses());
        this.lastNanos = System.nanoTime();
    }

    /** Oldest first; at most {@link #SECONDS}. */
    public List<Second> seconds() {
        return published;
    }

    /**
     * Metrics thread only, right after {@link PipelineMetrics#roll()}. Never throws: the same scheduled task rolls the
     * metrics, and an exception would stop it for good.
     */
    public void sample() {
        assert metricsThread.isCurrent() : metricsThread;
        try {
            record(System.currentTimeMillis(), System.nanoTime());
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "console history: a second was not recorded", e);
        }
    }

    private void record(long nowMillis, long nowNanos) {
        long[] decisionTotals = decisionTotals();
        Map<DecisionStatus, Long> decisions = new EnumMap<>(DecisionStatus.class);
        for (DecisionStatus s : DecisionStatus.values()) {
            decisions.put(s, decisionTotals[s.ordinal()] - lastDecisions[s.ordinal()]);
        }
        Map<String, Long> reasonTotals = totals(metrics.reasons());
        Map<String, Long> responseTotals = totals(metrics.responses());
        long requests = 0;
        Map<Integer, Long> errors = new HashMap<>();
        for (Map.Entry<String, Long> e :
                difference(responseTotals, lastResponses).entrySet()) {
            int sp = e.getKey().lastIndexOf(' ');
            if (!e.getKey().substring(0, sp).contains(" /v1/")) continue; // the terminal API only, not probes or admin
            requests += e.getValue();
            int status = Integer.parseInt(e.getKey().substring(sp + 1));
            if (status >= 400) errors.merge(status, e.getValue(), Long::sum);
        }
        Map<String, Quantiles> latency = new LinkedHashMap<>();
        for (LatencyMetric m : metrics.latencies()) {
            Histogram h = m.lastInterval();
            if (h.getTotalCount() > 0) {
                latency.put(
                        m.name(),
                        new Quantiles(
                                h.getValueAtPercentile(50) / 1e6,
                                h.getValueAtPercentile(99) / 1e6,
                                h.getValueAtPercentile(99.9) / 1e6));
            }
        }
        PipelineGauges.Levels levels = gauges.read();
        Second second = new Second(
                nowMillis,
                (nowNanos - lastNanos) / 1e9,
                Collections.unmodifiableMap(decisions),
                requests,
                Map.copyOf(errors),
                Map.copyOf(difference(reasonTotals, lastReasons)),
                Collections.unmodifiableMap(latency),
                metrics.batchSize.lastInterval().getMaxValue(),
                levels.intakeDepth(),
                levels.settlementDepth(),
                levels.inFlight());
        lastDecisions = decisionTotals;
        lastReasons = reasonTotals;
        lastResponses = responseTotals;
        lastNanos = nowNanos;
        if (ring.size() == SECONDS) ring.removeFirst();
        ring.addLast(second);
        published = List.copyOf(ring);
    }

    /** Sums the newest {@code count} seconds of {@code history}. */
    static Totals sumNewest(List<Second> history, int count) {
        return sum(history.subList(Math.max(0, history.size() - count), history.size()));
    }

    static Totals sum(List<Second> seconds) {
        double duration = 0;
        long requests = 0;
        Map<Integer, Long> errors = new HashMap<>();
        Map<DecisionStatus, Long> decisions = new EnumMap<>(DecisionStatus.class);
        Map<String, Long> reasons = new HashMap<>();
        for (Second s : seconds) {
            duration += s.seconds();
            requests += s.requests();
            s.errors().forEach((k, v) -> errors.merge(k, v, Long::sum));
            s.decisions().forEach((k, v) -> decisions.merge(k, v, Long::sum));
            s.reasons().forEach((k, v) -> reasons.merge(k, v, Long::sum));
        }
        return new Totals(duration, requests, errors, decisions, reasons);
    }

    private long[] decisionTotals() {
        long[] out = new long[DecisionStatus.values().length];
        for (DecisionStatus s : DecisionStatus.values()) out[s.ordinal()] = metrics.decisions(s);
        return out;
    }

    private static Map<String, Long> totals(Map<String, LongAdder> counters) {
        Map<String, Long> out = new HashMap<>();
        counters.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }

    /** What each counter added since {@code before}; counters that did not move are left out. */
    private static Map<String, Long> difference(Map<String, Long> now, Map<String, Long> before) {
        Map<String, Long> out = new HashMap<>();
        now.forEach((k, v) -> {
            long d = v - before.getOrDefault(k, 0L);
            if (d > 0) out.put(k, d);
        });
        return out;
    }
}
