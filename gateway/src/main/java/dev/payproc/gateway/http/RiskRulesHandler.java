package dev.payproc.gateway.http;

import dev.payproc.core.model.Errors;
import dev.payproc.core.model.Reply;
import dev.payproc.core.port.AuditTrail;
import dev.payproc.core.port.DecisionHistory;
import dev.payproc.core.port.RiskRules;
import dev.payproc.core.port.RiskRules.Candidate;
import dev.payproc.core.port.RiskRules.Violation;
import dev.payproc.core.port.RuleSetStore;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.logging.Logger;

/**
 * {@code GET/PUT /admin/risk-rules}: a versioned rule-set document, validated first, stored with an audit entry so
 * every process picks it up, and swapped into the engine between two decisions; and trying a candidate before it
 * goes live: in shadow on live traffic ({@code /admin/risk-rules/shadow}) or on stored authorizations
 * ({@code POST /admin/risk-rules/backtest}).
 */
public final class RiskRulesHandler {
    private static final Logger LOG = Logger.getLogger(RiskRulesHandler.class.getName());

    /** Backtests read at most this many stored authorizations. */
    static final int BACKTEST_LIMIT = 500_000;

    private final RiskRules risk;
    private final RuleSetStore store;
    private final DecisionHistory history;
    private final AuditTrail audit;

    public RiskRulesHandler(RiskRules risk, RuleSetStore store, DecisionHistory history, AuditTrail audit) {
        this.risk = risk;
        this.store = store;
        this.history = history;
        this.audit = audit;
    }

    public void getRules(RoutingContext ctx) {
        Responses.send(ctx, Reply.of(200, risk.document()));
    }

    /** The candidate in a document, or null after answering 400 with every violation. */
    private Candidate parseRules(RoutingContext ctx, String document, String pathPrefix) {
        RiskRules.Checked checked = risk.check(document);
        if (checked.candidate() == null) {
            JsonArray violations = new JsonArray();
            for (Violation v : checked.violations()) {
                violations.add(
                        new JsonObject().put("field", pathPrefix + v.field()).put("message", v.message()));
            }
            Violation first = checked.violations().get(0);
            JsonObject body = new JsonObject(Errors.body(
                            "invalid_request",
                            "the rule set is not valid: " + first.message(),
                            pathPrefix + first.field()))
                    .put("violations", violations);
            Responses.send(ctx, Reply.of(400, body.encode()));
            return null;
        }
        return checked.candidate();
    }

    /** {@code PUT /admin/risk-rules/shadow}: decide live traffic with a candidate too, without affecting answers. */
    public void startShadow(RoutingContext ctx) {
        Candidate candidate = parseRules(ctx, ctx.body().asString(), "");
        if (candidate == null) return;
        risk.shadow(candidate);
        LOG.info("admin: shadow rule set version " + candidate.version() + " started");
        audit.append(AdminActor.of(ctx), "risk_rules.shadow_start", "version " + candidate.version())
                .onFailure(e -> LOG.warning("admin: could not audit a shadow start: " + e));
        Responses.send(ctx, Reply.of(200, report(risk.shadowReport()).encode()));
    }

    public void shadowReport(RoutingContext ctx) {
        RiskRules.Comparison report = risk.shadowReport();
        if (report == null) Responses.error(ctx, 404, "not_found", "no shadow rule set is running");
        else Responses.send(ctx, Reply.of(200, report(report).encode()));
    }

    public void stopShadow(RoutingContext ctx) {
        RiskRules.Comparison report = risk.shadowReport();
        if (report == null) {
            Responses.error(ctx, 404, "not_found", "no shadow rule set is running");
            return;
        }
        risk.shadow(null);
        audit.append(
                        AdminActor.of(ctx),
                        "risk_rules.shadow_stop",
                        report(report).encode())
                .onFailure(e -> LOG.warning("admin: could not audit a shadow stop: " + e));
        Responses.send(ctx, Reply.of(200, report(report).encode()));
    }

    /**
     * {@code POST /admin/risk-rules/backtest} {@code {"rules": {...}, "from": "...", "to": "..."}}: decides the
     * stored authorizations of a period again, in order, with a candidate rule set (fresh history) and reports
     * what would have changed against what was decided. Runs off the event loop; reads at most
     * {@link #BACKTEST_LIMIT} authorizations.
     */
    public void backtest(RoutingContext ctx) {
        JsonObject body;
        try {
            body = ctx.body().asJsonObject();
        } catch (DecodeException | ClassCastException e) {
            body = null;
        }
        if (body == null || !(body.getValue("rules") instanceof JsonObject rules)) {
            Responses.error(
                    ctx,
                    400,
                    "invalid_request",
                    "the body must be {\"rules\": {...}, \"from\": ..., \"to\": ...}",
                    "rules");
            return;
        }
        java.time.Instant from = instant(ctx, body.getValue("from"), "from");
        if (from == null) return;
        java.time.Instant to = instant(ctx, body.getValue("to"), "to");
        if (to == null) return;
        Candidate candidate = parseRules(ctx, rules.encode(), "rules.");
        if (candidate == null) return;
        history.decided(from, to, BACKTEST_LIMIT)
                .compose(attempts -> ctx.vertx()
                        .executeBlocking(() -> report(risk.backtest(candidate, attempts))
                                .put("from", from.toString())
                                .put("to", to.toString())
                                .put("truncated", attempts.size() == BACKTEST_LIMIT)))
                .onSuccess(out -> Responses.send(ctx, Reply.of(200, out.encode())))
                .onFailure(e -> {
                    LOG.warning("admin: backtest failed: " + e);
                    Responses.send(ctx, GatewayErrors.UNAVAILABLE);
                });
    }

    /** An RFC 3339 instant or a day (its start, UTC), or null after answering 400. */
    private static java.time.Instant instant(RoutingContext ctx, Object value, String field) {
        if (value instanceof String s) {
            try {
                return s.length() == 10
                        ? java.time.LocalDate.parse(s)
                                .atStartOfDay(java.time.ZoneOffset.UTC)
                                .toInstant()
                        : java.time.Instant.parse(s);
            } catch (java.time.format.DateTimeParseException e) {
                // answered below
            }
        }
        Responses.error(
                ctx, 400, "invalid_request", field + " must be a date (YYYY-MM-DD) or an RFC 3339 instant", field);
        return null;
    }

    static JsonObject report(RiskRules.Comparison s) {
        return new JsonObject()
                .put("candidateVersion", s.candidateVersion())
                .put("compared", s.compared())
                .put("changed", s.changed())
                .put("transitions", new JsonObject(new java.util.LinkedHashMap<>(s.transitions())))
                .put("rulesAdded", new JsonObject(new java.util.LinkedHashMap<>(s.rulesAdded())))
                .put("rulesRemoved", new JsonObject(new java.util.LinkedHashMap<>(s.rulesRemoved())));
    }

    public void putRules(RoutingContext ctx) {
        Candidate next = parseRules(ctx, ctx.body().asString(), "");
        if (next == null) return;
        int current = risk.version();
        if (next.version() <= current) {
            Responses.error(
                    ctx,
                    409,
                    "invalid_state",
                    "version " + next.version() + " is not newer than the rule set in force (" + current + ")",
                    "version");
            return;
        }
        String rendered = next.document();
        store.put(next.version(), rendered, AdminActor.of(ctx), "version " + current + " -> " + next.version())
                .onComplete(ar -> {
                    if (ar.failed()) {
                        LOG.warning("admin: storing rule set " + next.version() + " failed: " + ar.cause());
                        Responses.send(ctx, GatewayErrors.UNAVAILABLE);
                    } else if (!ar.result()) {
                        Responses.error(
                                ctx,
                                409,
                                "invalid_state",
                                "version " + next.version() + " was already put; put a newer version",
                                "version");
                    } else {
                        risk.putInForce(next);
                        LOG.info("admin: risk rules version " + next.version() + " in force (was " + current + ")");
                        Responses.send(ctx, Reply.of(200, rendered));
                    }
                });
    }
}
