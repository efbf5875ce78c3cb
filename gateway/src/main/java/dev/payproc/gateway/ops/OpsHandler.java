package dev.payproc.gateway.ops;

import dev.payproc.core.metrics.PipelineMetrics;
import dev.payproc.core.pipeline.Command;
import dev.payproc.core.pipeline.SettlementItem;
import dev.payproc.core.stage.HandOff;
import dev.payproc.gateway.http.Admission;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.vertx.ext.web.RoutingContext;

import java.util.List;

/** {@code /metrics} (Prometheus text) and the liveness and readiness probes. */
public final class OpsHandler {
    private final PipelineMetrics metrics;
    private final List<HandOff<Command>> intakes;
    private final List<HandOff<SettlementItem>> writers;
    private final Admission admission;
    private final CircuitBreaker breaker;
    private final Readiness readiness;

    public OpsHandler(PipelineMetrics metrics, List<HandOff<Command>> intakes,
                      List<HandOff<SettlementItem>> writers, Admission admission, CircuitBreaker breaker,
                      Readiness readiness) {
        this.metrics = metrics;
        this.intakes = List.copyOf(intakes);
        this.writers = List.copyOf(writers);
        this.admission = admission;
        this.breaker = breaker;
        this.readiness = readiness;
    }

    public void metrics(RoutingContext ctx) {
        ctx.response().putHeader("content-type", "text/plain; version=0.0.4; charset=utf-8").end(text());
    }

    /** The whole scrape: what {@code GET /metrics} serves. */
    String text() {
        PrometheusText out = new PrometheusText().latencies(metrics).counters(metrics)
                .gauge("payproc_intake_queue_depth", "Commands waiting for the risk shards", "", intakes.stream().mapToInt(HandOff::size).sum())
                .gauge("payproc_intake_queue_capacity", "Capacity of the risk shards' intake queues", "",
                        intakes.stream().mapToInt(HandOff::capacity).sum())
                .gauge("payproc_in_flight", "Admitted requests not yet answered", "", admission.inFlight())
                .gauge("payproc_in_flight_limit", "Admission limit; beyond it requests get 503 overloaded", "", admission.limit());
        out.header("payproc_settlement_queue_depth", "gauge", "Decided payments waiting for their settlement writer");
        for (int i = 0; i < writers.size(); i++) out.sample("payproc_settlement_queue_depth", "writer=\"" + i + "\"", writers.get(i).size());
        out.header("payproc_settlement_queue_capacity", "gauge", "Capacity of each settlement writer's queue");
        for (int i = 0; i < writers.size(); i++) {
            out.sample("payproc_settlement_queue_capacity", "writer=\"" + i + "\"", writers.get(i).capacity());
        }
        out.header("payproc_db_circuit_breaker_state", "gauge", "1 for the database circuit breaker's current state");
        for (CircuitBreaker.State s : List.of(CircuitBreaker.State.CLOSED, CircuitBreaker.State.OPEN, CircuitBreaker.State.HALF_OPEN)) {
            out.sample("payproc_db_circuit_breaker_state", "state=\"" + s + "\"", breaker.getState() == s ? 1 : 0);
        }
        out.gauge("payproc_db_up", "1 when the database answered a ping in the last 3 s", "", readiness.databaseUp() ? 1 : 0);
        JvmMetrics.appendTo(out);
        return out.toString();
    }

    public void live(RoutingContext ctx) {
        ctx.response().putHeader("content-type", "application/json").end("{\"status\":\"UP\"}");
    }

    public void ready(RoutingContext ctx) {
        boolean db = readiness.databaseUp();
        boolean stages = readiness.stagesUp();
        boolean draining = admission.draining();
        boolean ready = db && stages && !draining;
        ctx.response().setStatusCode(ready ? 200 : 503).putHeader("content-type", "application/json")
                .end("{\"status\":\"" + (ready ? "READY" : "NOT_READY") + "\",\"database\":" + db + ",\"stages\":" + stages
                        + ",\"draining\":" + draining + "}");
    }
}
