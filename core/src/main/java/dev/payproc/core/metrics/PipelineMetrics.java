package dev.payproc.core.metrics;

import dev.payproc.core.model.DecisionStatus;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Everything the stages measure, shared by the wiring with every stage. Latencies are HdrHistograms per
 * stage; counters are {@link LongAdder}s so event loops and stage threads add without contention.
 */
public final class PipelineMetrics {
    /** Seconds of history behind each published quantile. */
    public static final int WINDOW_SECONDS = 60;
    /**
     * Most distinct route-and-status series kept; later ones are counted under route {@code other}. The gateway's
     * labels are a fixed set far below this: the cap is the second line of defence for memory and scrape cost.
     */
    public static final int MAX_RESPONSE_SERIES = 1024;

    public final LatencyMetric endToEnd = new LatencyMetric("end_to_end", WINDOW_SECONDS);
    public final LatencyMetric intakeWait = new LatencyMetric("intake_queue", WINDOW_SECONDS);
    public final LatencyMetric risk = new LatencyMetric("risk", WINDOW_SECONDS);
    public final LatencyMetric settlementWait = new LatencyMetric("settlement_queue", WINDOW_SECONDS);
    public final LatencyMetric commit = new LatencyMetric("commit", WINDOW_SECONDS);
    /** How late the gateway's event loops run a timer (see the gateway's EventLoopLag). */
    public final LatencyMetric eventLoopLag = new LatencyMetric("event_loop_lag", WINDOW_SECONDS);
    /** Items per committed database round trip (not a latency, but the same quantile machinery). */
    public final LatencyMetric batchSize = new LatencyMetric("settlement_batch_size", WINDOW_SECONDS);

    private final LongAdder[] decisions = new LongAdder[DecisionStatus.values().length];
    private final Map<String, LongAdder> reasons = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> responses = new ConcurrentHashMap<>();

    public PipelineMetrics() {
        for (int i = 0; i < decisions.length; i++) decisions[i] = new LongAdder();
    }

    public List<LatencyMetric> latencies() {
        return List.of(endToEnd, intakeWait, risk, settlementWait, commit);
    }

    /** Metrics thread only: closes one interval of every histogram. */
    public void roll() {
        for (LatencyMetric m : latencies()) m.roll();
        batchSize.roll();
        eventLoopLag.roll();
    }

    public void countDecision(DecisionStatus status) {
        decisions[status.ordinal()].increment();
    }

    public long decisions(DecisionStatus status) {
        return decisions[status.ordinal()].sum();
    }

    public void countReason(String code) {
        reasons.computeIfAbsent(code, k -> new LongAdder()).increment();
    }

    public Map<String, LongAdder> reasons() {
        return reasons;
    }

    /** Counts one answered request; the key is route and status, e.g. {@code "POST /v1/authorizations 201"}. */
    public void countResponse(String route, int status) {
        String key = route + ' ' + status;
        LongAdder counter = responses.get(key);
        if (counter == null) {
            if (responses.size() >= MAX_RESPONSE_SERIES) key = "other " + Math.max(0, Math.min(999, status));
            counter = responses.computeIfAbsent(key, k -> new LongAdder());
        }
        counter.increment();
    }

    public Map<String, LongAdder> responses() {
        return responses;
    }
}
