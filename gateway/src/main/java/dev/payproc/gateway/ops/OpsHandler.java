package dev.payproc.gateway.ops;

import dev.payproc.core.metrics.LatencyMetric;
import dev.payproc.core.metrics.PipelineMetrics;
import dev.payproc.core.port.ClusterStatus;
import dev.payproc.core.port.WebhookStatus;
import dev.payproc.gateway.http.Admission;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.vertx.ext.web.RoutingContext;
import java.util.List;

/** {@code /metrics} (Prometheus text) and the liveness and readiness probes. */
public final class OpsHandler {
    private final PipelineMetrics metrics;
    private final PipelineGauges gauges;
    private final Admission admission;
    private final Readiness readiness;
    private final WebhookStatus webhooks;
    private final ClusterStatus cluster;

    public OpsHandler(
            PipelineMetrics metrics,
            PipelineGauges gauges,
            Admission admission,
            Readiness readiness,
            WebhookStatus webhooks) {
        this(metrics, gauges, admission, readiness, webhooks, null);
    }

    /** {@code cluster} null: a single process, whose scrape has no cluster series. */
    public OpsHandler(
            PipelineMetrics metrics,
            PipelineGauges gauges,
            Admission admission,
            Readiness readiness,
            WebhookStatus webhooks,
            ClusterStatus cluster) {
        this.cluster = cluster;
        this.metrics = metrics;
        this.gauges = gauges;
        this.admission = admission;
        this.readiness = readiness;
        this.webhooks = webhooks;
    }

    public void metrics(RoutingContext ctx) {
        ctx.response()
                .putHeader("content-type", "text/plain; version=0.0.4; charset=utf-8")
                .end(text());
    }

    /** The whole scrape: what {@code GET /metrics} serves. */
    String text() {
        PipelineGauges.Levels levels = gauges.read();
        PrometheusText out = new PrometheusText()
                .latencies(metrics)
                .counters(metrics)
                .gauge("payproc_intake_queue_depth", "Commands waiting for the risk shards", "", levels.intakeDepth())
                .gauge(
                        "payproc_intake_queue_capacity",
                        "Capacity of the risk shards' intake queues",
                        "",
                        levels.intakeCapacity())
                .gauge("payproc_in_flight", "Admitted requests not yet answered", "", levels.inFlight())
                .gauge(
                        "payproc_in_flight_limit",
                        "Admission limit in force; beyond it requests get 503 overloaded",
                        "",
                        levels.inFlightLimit())
                .gauge(
                        "payproc_in_flight_limit_configured",
                        "Configured admission limit (maxInFlight); the limit in force is"
                                + " lower while the event loops run late",
                        "",
                        admission.limit());
        List<Integer> depths = levels.settlementDepths();
        out.header("payproc_settlement_queue_depth", "gauge", "Decided payments waiting for their settlement writer");
        for (int i = 0; i < depths.size(); i++)
            out.sample("payproc_settlement_queue_depth", "writer=\"" + i + "\"", depths.get(i));
        out.header("payproc_settlement_queue_capacity", "gauge", "Capacity of each settlement writer's queue");
        for (int i = 0; i < depths.size(); i++) {
            out.sample("payproc_settlement_queue_capacity", "writer=\"" + i + "\"", levels.settlementCapacity());
        }
        out.header("payproc_db_circuit_breaker_state", "gauge", "1 for the database circuit breaker's current state");
        for (CircuitBreaker.State s :
                List.of(CircuitBreaker.State.CLOSED, CircuitBreaker.State.OPEN, CircuitBreaker.State.HALF_OPEN)) {
            out.sample(
                    "payproc_db_circuit_breaker_state",
                    "state=\"" + s + "\"",
                    s.name().equals(levels.breaker()) ? 1 : 0);
        }
        out.gauge(
                "payproc_db_up",
                "1 when the database answered a ping in the last 3 s",
                "",
                levels.databaseUp() ? 1 : 0);
        webhooks(out, webhooks.snapshot());
        if (cluster != null) cluster(out, cluster);
        JvmMetrics.appendTo(out);
        return out.toString();
    }

    /** Delivery figures: database-wide ones as the dispatcher last computed them, this process's counts; no per-endpoint label. */
    private static void webhooks(PrometheusText out, WebhookStatus.Snapshot w) {
        out.gauge(
                        "payproc_webhook_backlog_events",
                        "Events after the cursors of the enabled webhook endpoints (every process's)",
                        "",
                        w.backlogEvents())
                .gauge(
                        "payproc_webhook_endpoints_behind",
                        "Enabled webhook endpoints with events still to deliver",
                        "",
                        w.endpointsBehind())
                .gauge("payproc_webhook_parked_events", "Webhook events parked and not re-sent", "", w.parked())
                .gauge(
                        "payproc_webhook_in_flight",
                        "Webhook deliveries of this process awaiting an answer",
                        "",
                        w.inFlight());
        out.header(
                "payproc_webhook_deliveries_total", "counter", "Webhook delivery attempts of this process, by outcome");
        w.deliveries()
                .forEach((outcome, n) ->
                        out.sample("payproc_webhook_deliveries_total", "outcome=\"" + outcome + "\"", n));
    }

    /** Cluster mode: membership, partition ownership and forwarding of this process. */
    private static void cluster(PrometheusText out, ClusterStatus cluster) {
        ClusterStatus.Snapshot c = cluster.snapshot();
        out.gauge(
                        "payproc_cluster_members",
                        "Members of the cluster this process sees, itself included",
                        "",
                        c.members())
                .gauge("payproc_cluster_partitions", "Card partitions of the cluster", "", c.partitions())
                .gauge(
                        "payproc_cluster_partitions_owned",
                        "Card partitions this process owns (decides the cards of)",
                        "",
                        c.partitionsOwned());
        out.header("payproc_cluster_forwarded_total", "counter", "Authorizations forwarded to their card's owner");
        out.sample("payproc_cluster_forwarded_total", "direction=\"out\"", c.forwardedOut());
        out.sample("payproc_cluster_forwarded_total", "direction=\"in\"", c.forwardedIn());
        out.header(
                "payproc_cluster_forward_failures_total",
                "counter",
                "Forwards answered 503 here: no owner reachable, or no answer in time");
        out.sample("payproc_cluster_forward_failures_total", "", c.forwardFailures());
        LatencyMetric.Snapshot s = cluster.forwardLatency().snapshot();
        out.header(
                "payproc_cluster_forward_latency_seconds",
                "summary",
                "From a forward's send to its owner's answer; quantiles over the last " + PipelineMetrics.WINDOW_SECONDS
                        + " s");
        out.quantiles("payproc_cluster_forward_latency_seconds", "", s.window(), 1e-9);
        out.sample("payproc_cluster_forward_latency_seconds_count", "", s.totalCount());
        out.sample("payproc_cluster_forward_latency_seconds_sum", "", s.totalSumNanos() * 1e-9);
    }

    public void live(RoutingContext ctx) {
        ctx.response().putHeader("content-type", "application/json").end("{\"status\":\"UP\"}");
    }

    public void ready(RoutingContext ctx) {
        boolean db = readiness.databaseUp();
        boolean stages = readiness.stagesUp();
        boolean draining = admission.draining();
        boolean ready = db && stages && !draining;
        ctx.response()
                .setStatusCode(ready ? 200 : 503)
                .putHeader("content-type", "application/json")
                .end("{\"status\":\"" + (ready ? "READY" : "NOT_READY") + "\",\"database\":" + db + ",\"stages\":"
                        + stages + ",\"draining\":" + draining + "}");
    }
}
