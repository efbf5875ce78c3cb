package dev.payproc.gateway.ops;

import dev.payproc.core.metrics.LatencyMetric;
import dev.payproc.core.metrics.PipelineMetrics;
import dev.payproc.core.model.Currencies;
import dev.payproc.core.model.DecisionStatus;
import dev.payproc.core.model.Reason;
import dev.payproc.core.port.ClusterStatus;
import dev.payproc.core.port.Disputes;
import dev.payproc.core.port.PaymentReader;
import dev.payproc.core.port.PaymentReader.FlaggedPayment;
import dev.payproc.core.port.RiskRules;
import dev.payproc.core.port.WebhookStatus;
import dev.payproc.gateway.http.Responses;
import dev.payproc.gateway.ops.ConsoleHistory.Second;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Logger;
import org.HdrHistogram.Histogram;

/**
 * {@code GET /admin/console/feed[?since=millis]}: everything the SRE console shows, as one JSON document read from
 * the metrics already kept (see the README's "SRE console" for the shape). {@code series} holds the seconds after
 * {@code since} (all kept seconds without it), so a page polling each second receives one or two.
 */
public final class ConsoleFeed {
    private static final Logger LOG = Logger.getLogger(ConsoleFeed.class.getName());
    private static final int FLAGGED_LIMIT = 12;
    private static final int HEADLINE_SECONDS = 5;
    private static final int MINUTE = 60;
    private static final int TOP_REASONS = 8;
    private static final long FLAGGED_REFRESH_MILLIS = 1_000;

    /** The newest flagged payments and when they were read. */
    private record Flagged(long atMillis, List<FlaggedPayment> payments) {}

    /** The undecided disputes per currency and when they were read. */
    private record OpenDisputes(long atMillis, List<Disputes.OpenTotal> totals) {}

    private final PipelineMetrics metrics;
    private final ConsoleHistory history;
    private final PipelineGauges gauges;
    private final PaymentReader queries;
    private final RiskRules risk;
    private final WebhookStatus webhooks;
    private final Disputes disputes;
    /** Null in a single process. */
    private final ClusterStatus cluster;

    private final AtomicBoolean refreshing = new AtomicBoolean();
    private final AtomicBoolean refreshingDisputes = new AtomicBoolean();
    private volatile Flagged flagged = new Flagged(0, List.of());
    private volatile OpenDisputes openDisputes = new OpenDisputes(0, List.of());

    public ConsoleFeed(
            PipelineMetrics metrics,
            ConsoleHistory history,
            PipelineGauges gauges,
            PaymentReader queries,
            RiskRules risk,
            WebhookStatus webhooks,
            Disputes disputes,
            ClusterStatus cluster) {
        this.metrics = metrics;
        this.history = history;
        this.gauges = gauges;
        this.queries = queries;
        this.risk = risk;
        this.webhooks = webhooks;
        this.disputes = disputes;
        this.cluster = cluster;
    }

    public void feed(RoutingContext ctx) {
        long since;
        try {
            String s = ctx.queryParams().get("since");
            since = s == null ? Long.MIN_VALUE : Long.parseLong(s);
        } catch (NumberFormatException e) {
            Responses.error(ctx, 400, "invalid_request", "since must be epoch milliseconds", "since");
            return;
        }
        refreshFlagged();
        refreshDisputes();
        ctx.response()
                .putHeader("content-type", "application/json")
                .putHeader("Cache-Control", "no-store")
                .end(render(since).encode());
    }

    /**
     * Stale-while-revalidate: the feed answers at once with the last list read and asks for a newer one at most once
     * a second, so viewers add no load with the ledger's size and a slow or cut database never holds the feed up.
     */
    private void refreshFlagged() {
        if (System.currentTimeMillis() - flagged.atMillis() < FLAGGED_REFRESH_MILLIS
                || !refreshing.compareAndSet(false, true)) {
            return;
        }
        long started = System.currentTimeMillis();
        queries.latestFlagged(FLAGGED_LIMIT).onComplete(ar -> {
            if (ar.succeeded()) flagged = new Flagged(started, ar.result());
            else LOG.fine("console: flagged payments not read: " + ar.cause());
            refreshing.set(false);
        });
    }

    /** As {@link #refreshFlagged}: the undecided disputes read at most once a second, never waited for. */
    private void refreshDisputes() {
        if (System.currentTimeMillis() - openDisputes.atMillis() < FLAGGED_REFRESH_MILLIS
                || !refreshingDisputes.compareAndSet(false, true)) {
            return;
        }
        long started = System.currentTimeMillis();
        disputes.openTotals().onComplete(ar -> {
            if (ar.succeeded()) openDisputes = new OpenDisputes(started, ar.result());
            else LOG.fine("console: open disputes not read: " + ar.cause());
            refreshingDisputes.set(false);
        });
    }

    /**
     * {@code {"open": n, "byCurrency": [{"currency", "count", "amount", "exponent", "amountDecimal"}], "asOf"}}: the
     * disputes no outcome has decided yet (OPEN or EVIDENCE_SUBMITTED) and the money they hold, per currency.
     */
    private JsonObject disputes() {
        OpenDisputes d = openDisputes;
        long open = 0;
        JsonArray byCurrency = new JsonArray();
        for (Disputes.OpenTotal t : d.totals()) {
            open += t.count();
            int exponent = Currencies.exponent(t.currency());
            byCurrency.add(new JsonObject()
                    .put("currency", t.currency())
                    .put("count", t.count())
                    .put("amount", t.amount())
                    .put("exponent", exponent < 0 ? null : exponent)
                    .put("amountDecimal", exponent < 0 ? null : Currencies.decimal(t.amount(), t.currency())));
        }
        return new JsonObject()
                .put("open", open)
                .put("byCurrency", byCurrency)
                .put("asOf", d.atMillis() == 0 ? null : d.atMillis());
    }

    JsonObject render(long since) {
        List<Second> seconds = history.seconds();
        PipelineGauges.Levels levels = gauges.read();
        ConsoleHistory.Totals recent = ConsoleHistory.sumNewest(seconds, HEADLINE_SECONDS);
        ConsoleHistory.Totals minute = ConsoleHistory.sumNewest(seconds, MINUTE);

        JsonObject latency = new JsonObject();
        for (LatencyMetric m : metrics.latencies())
            latency.put(m.name(), quantiles(m.snapshot().window(), 1e-6));
        JsonObject decided = new JsonObject();
        for (DecisionStatus status : DecisionStatus.values()) decided.put(status.name(), metrics.decisions(status));
        JsonArray series = new JsonArray();
        for (Second s : seconds) if (s.atMillis() > since) series.add(second(s));

        return new JsonObject()
                .put("at", System.currentTimeMillis())
                .put("windowSeconds", PipelineMetrics.WINDOW_SECONDS)
                .put(
                        "headline",
                        new JsonObject()
                                .put("requestsPerSecond", round(recent.perSecond(recent.requests()), 1))
                                .put("decisionsPerSecond", round(recent.perSecond(recent.decided()), 1))
                                .put("errorsPerSecond", round(recent.perSecond(recent.errorCount()), 1))
                                .put(
                                        "p99Ms",
                                        latency.getJsonObject("end_to_end").getValue("p99"))
                                .put(
                                        "declinePercent",
                                        minute.decided() == 0
                                                ? null
                                                : round(100.0 * minute.declined() / minute.decided(), 1))
                                .put(
                                        "errorPercent",
                                        minute.requests() == 0
                                                ? null
                                                : round(100.0 * minute.errorCount() / minute.requests(), 2)))
                .put("decisionsSinceStart", decided)
                .put("latencyMs", latency)
                .put("settlementBatch", quantiles(metrics.batchSize.snapshot().window(), 1))
                .put("queues", queues(levels))
                .put(
                        "database",
                        new JsonObject()
                                .put("up", levels.databaseUp())
                                .put("breaker", levels.breaker())
                                .put(
                                        "breakerFailurePercent",
                                        levels.breakerFailurePercent() < 0
                                                ? null
                                                : round(levels.breakerFailurePercent(), 1))
                                .put(
                                        "readPool",
                                        new JsonObject()
                                                .put("open", levels.readPoolOpen())
                                                .put("max", levels.readPoolMax()))
                                .put("writers", levels.settlementDepths().size()))
                .put("webhooks", webhooks(webhooks.snapshot()))
                .put("disputes", disputes())
                .put("cluster", cluster == null ? null : cluster(cluster))
                .put("risk", risk(minute))
                .put("alerts", alerts(seconds, levels))
                .put("series", series);
    }

    private static JsonObject queues(PipelineGauges.Levels levels) {
        JsonArray settlement = new JsonArray();
        for (int depth : levels.settlementDepths()) {
            settlement.add(new JsonObject().put("depth", depth).put("capacity", levels.settlementCapacity()));
        }
        return new JsonObject()
                .put(
                        "intake",
                        new JsonObject().put("depth", levels.intakeDepth()).put("capacity", levels.intakeCapacity()))
                .put(
                        "inFlight",
                        new JsonObject().put("current", levels.inFlight()).put("limit", levels.inFlightLimit()))
                .put("settlement", settlement);
    }

    /**
     * Cluster mode (issue 19): the membership this process sees, the partitions it owns, and its forwarding totals
     * (the page turns two polls' totals into a rate) with the answered forwards' latency over the last minute.
     */
    private static JsonObject cluster(ClusterStatus cluster) {
        ClusterStatus.Snapshot c = cluster.snapshot();
        return new JsonObject()
                .put("nodeId", c.nodeId())
                .put("members", c.members())
                .put("partitions", c.partitions())
                .put("partitionsOwned", c.partitionsOwned())
                .put("forwardedOut", c.forwardedOut())
                .put("forwardedIn", c.forwardedIn())
                .put("forwardFailures", c.forwardFailures())
                .put(
                        "forwardLatencyMs",
                        quantiles(cluster.forwardLatency().snapshot().window(), 1e-6));
    }

    private static JsonObject webhooks(WebhookStatus.Snapshot w) {
        return new JsonObject()
                .put("backlog", w.backlogEvents())
                .put("endpointsBehind", w.endpointsBehind())
                .put("parked", w.parked())
                .put("inFlight", w.inFlight());
    }

    private JsonObject risk(ConsoleHistory.Totals minute) {
        JsonArray top = new JsonArray();
        minute.reasons().entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder())
                        .thenComparing(Map.Entry.comparingByKey()))
                .limit(TOP_REASONS)
                .forEach(e -> top.add(new JsonObject().put("code", e.getKey()).put("count", e.getValue())));
        Flagged f = flagged;
        JsonArray latest = new JsonArray();
        for (FlaggedPayment p : f.payments()) {
            JsonArray reasons = new JsonArray();
            for (Reason r : p.reasons())
                reasons.add(new JsonObject().put("code", r.code()).put("message", r.message()));
            latest.add(new JsonObject()
                    .put("id", p.id())
                    .put("at", p.createdAt().toString())
                    .put("status", p.status())
                    .put("amount", p.amount())
                    .put("currency", p.currency())
                    .put("card", p.maskedPan())
                    .put("merchantId", p.merchantId())
                    .put("terminalId", p.terminalId())
                    .put("riskScore", p.riskScore())
                    .put("reasons", reasons));
        }
        return new JsonObject()
                .put("ruleSetVersion", risk.version())
                .put("topReasons", top)
                .put("flagged", latest)
                .put("flaggedAsOf", f.atMillis() == 0 ? null : f.atMillis());
    }

    private static JsonArray alerts(List<Second> seconds, PipelineGauges.Levels levels) {
        JsonArray out = new JsonArray();
        for (ConsoleAlerts.Alert a : ConsoleAlerts.evaluate(seconds, levels)) {
            out.add(new JsonObject()
                    .put("level", a.level())
                    .put("code", a.code())
                    .put("message", a.message()));
        }
        return out;
    }

    private static JsonObject second(Second s) {
        JsonObject decisions = new JsonObject();
        for (DecisionStatus status : DecisionStatus.values()) {
            decisions.put(status.name(), round(s.decisions().get(status) / s.seconds(), 1));
        }
        JsonObject errors = new JsonObject();
        s.errors().forEach((status, n) -> errors.put(Integer.toString(status), round(n / s.seconds(), 1)));
        JsonObject latency = new JsonObject();
        s.latency()
                .forEach((stage, q) -> latency.put(
                        stage,
                        new JsonArray()
                                .add(round(q.p50(), 3))
                                .add(round(q.p99(), 3))
                                .add(round(q.p999(), 3))));
        return new JsonObject()
                .put("t", s.atMillis())
                .put("requests", round(s.requests() / s.seconds(), 1))
                .put("decisions", decisions)
                .put("errors", errors)
                .put("latencyMs", latency)
                .put("batchMax", s.batchMax())
                .put("intakeDepth", s.intakeDepth())
                .put("settlementDepth", s.settlementDepth())
                .put("inFlight", s.inFlight());
    }

    /** p50, p99, p99.9 and max of a window, scaled (nanoseconds to milliseconds), null when it is empty. */
    private static JsonObject quantiles(Histogram h, double scale) {
        if (h.getTotalCount() == 0)
            return new JsonObject()
                    .putNull("p50")
                    .putNull("p99")
                    .putNull("p999")
                    .putNull("max");
        return new JsonObject()
                .put("p50", round(h.getValueAtPercentile(50) * scale, 3))
                .put("p99", round(h.getValueAtPercentile(99) * scale, 3))
                .put("p999", round(h.getValueAtPercentile(99.9) * scale, 3))
                .put("max", round(h.getMaxValue() * scale, 3));
    }

    private static double round(double v, int decimals) {
        double f = Math.pow(10, decimals);
        return Math.round(v * f) / f;
    }
}
