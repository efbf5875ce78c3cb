package dev.payproc.gateway.http;

import dev.payproc.core.model.Errors;
import dev.payproc.core.model.Reply;
import dev.payproc.gateway.codec.Decoded;
import dev.payproc.gateway.ops.Tunables;
import dev.payproc.risk.ComparisonReport;
import dev.payproc.risk.RiskEngine;
import dev.payproc.risk.stage.RiskShards;
import dev.payproc.ledger.read.PaymentHistory;
import dev.payproc.risk.RiskSettings;
import dev.payproc.risk.Violation;
import dev.payproc.risk.json.RuleSetDocument;
import dev.payproc.ledger.audit.AdminAudit;
import dev.payproc.ledger.audit.EventSeals;
import dev.payproc.ledger.admin.RiskRuleStore;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Logger;

/**
 * The admin surface that changes behaviour at run time, every change validated first and audited:
 * {@code GET/PUT /admin/risk-rules} (a versioned rule-set document, stored so every process picks it up,
 * swapped into the engine between two decisions), {@code GET/PUT /admin/config} (tunables), and the audit
 * trail ({@code GET /admin/audit}, {@code GET /admin/audit/verify}).
 */
public final class AdminRulesHandler {
    private static final Logger LOG = Logger.getLogger(AdminRulesHandler.class.getName());

    /** Backtests read at most this many stored authorizations. */
    static final int BACKTEST_LIMIT = 500_000;

    private final RiskShards risk;
    private final RiskRuleStore store;
    private final PaymentHistory history;
    private final AdminAudit audit;
    private final EventSeals seals;
    private final Tunables tunables;

    public AdminRulesHandler(RiskShards risk, RiskRuleStore store, PaymentHistory history, AdminAudit audit, EventSeals seals,
                             Tunables tunables) {
        this.risk = risk;
        this.store = store;
        this.history = history;
        this.audit = audit;
        this.seals = seals;
        this.tunables = tunables;
    }

    static String actor(RoutingContext ctx) {
        String who = ctx.request().getHeader("X-Admin-Actor");
        return who == null || who.isBlank() || who.length() > 64 ? "admin" : who;
    }

    public void getRules(RoutingContext ctx) {
        Responses.send(ctx, Reply.of(200, RuleSetDocument.render(risk.settings())));
    }

    /** The rule set in a document, or null after answering 400 with every violation. */
    private static RiskSettings parseRules(RoutingContext ctx, String document, String pathPrefix) {
        RuleSetDocument.Result parsed = RuleSetDocument.parse(document == null ? "" : document);
        if (parsed instanceof RuleSetDocument.Invalid invalid) {
            JsonArray violations = new JsonArray();
            for (Violation v : invalid.errors()) {
                violations.add(new JsonObject().put("field", pathPrefix + v.field()).put("message", v.message()));
            }
            Violation first = invalid.errors().get(0);
            JsonObject body = new JsonObject(Errors.body("invalid_request", "the rule set is not valid: " + first.message(),
                    pathPrefix + first.field())).put("violations", violations);
            Responses.send(ctx, Reply.of(400, body.encode()));
            return null;
        }
        return ((RuleSetDocument.Valid) parsed).settings();
    }

    /** {@code PUT /admin/risk-rules/shadow}: decide live traffic with a candidate too, without affecting answers. */
    public void startShadow(RoutingContext ctx) {
        RiskSettings candidate = parseRules(ctx, ctx.body().asString(), "");
        if (candidate == null) return;
        risk.shadow(candidate);
        LOG.info("admin: shadow rule set version " + candidate.version() + " started");
        audit.append(actor(ctx), "risk_rules.shadow_start", "version " + candidate.version())
                .onFailure(e -> LOG.warning("admin: could not audit a shadow start: " + e));
        Responses.send(ctx, Reply.of(200, report(risk.shadowReport().snapshot()).encode()));
    }

    public void shadowReport(RoutingContext ctx) {
        ComparisonReport report = risk.shadowReport();
        if (report == null) Responses.error(ctx, 404, "not_found", "no shadow rule set is running");
        else Responses.send(ctx, Reply.of(200, report(report.snapshot()).encode()));
    }

    public void stopShadow(RoutingContext ctx) {
        ComparisonReport report = risk.shadowReport();
        if (report == null) {
            Responses.error(ctx, 404, "not_found", "no shadow rule set is running");
            return;
        }
        risk.shadow(null);
        audit.append(actor(ctx), "risk_rules.shadow_stop", report(report.snapshot()).encode())
                .onFailure(e -> LOG.warning("admin: could not audit a shadow stop: " + e));
        Responses.send(ctx, Reply.of(200, report(report.snapshot()).encode()));
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
            Responses.error(ctx, 400, "invalid_request", "the body must be {\"rules\": {...}, \"from\": ..., \"to\": ...}", "rules");
            return;
        }
        java.time.Instant from = instant(ctx, body.getValue("from"), "from");
        if (from == null) return;
        java.time.Instant to = instant(ctx, body.getValue("to"), "to");
        if (to == null) return;
        RiskSettings candidate = parseRules(ctx, rules.encode(), "rules.");
        if (candidate == null) return;
        history.decided(from, to, BACKTEST_LIMIT).compose(attempts -> ctx.vertx().executeBlocking(() -> {
            RiskEngine replay = new RiskEngine(candidate);
            ComparisonReport report = new ComparisonReport(candidate.version());
            for (PaymentHistory.DecidedAttempt a : attempts) {
                report.record(a.decidedStatus(), a.reasonCodes(), replay.decide(a.authorization(), a.atMillis()));
            }
            return report(report.snapshot()).put("from", from.toString()).put("to", to.toString())
                    .put("truncated", attempts.size() == BACKTEST_LIMIT);
        })).onSuccess(out -> Responses.send(ctx, Reply.of(200, out.encode()))).onFailure(e -> {
            LOG.warning("admin: backtest failed: " + e);
            Responses.send(ctx, GatewayErrors.UNAVAILABLE);
        });
    }

    private static EventSeals.Anchor parseAnchor(String s) {
        int hashAt = s.lastIndexOf(':');
        int seqAt = hashAt < 0 ? -1 : s.lastIndexOf(':', hashAt - 1);
        if (seqAt <= 0) return null;
        String seq = s.substring(seqAt + 1, hashAt), hash = s.substring(hashAt + 1);
        if (seq.isEmpty() || seq.length() > 18 || !seq.chars().allMatch(Character::isDigit)) return null;
        if (hash.length() != 64 || !hash.chars().allMatch(c -> (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return null;
        return new EventSeals.Anchor(s.substring(0, seqAt), Long.parseLong(seq), hash);
    }

    /** An RFC 3339 instant or a day (its start, UTC), or null after answering 400. */
    private static java.time.Instant instant(RoutingContext ctx, Object value, String field) {
        if (value instanceof String s) {
            try {
                return s.length() == 10 ? java.time.LocalDate.parse(s).atStartOfDay(java.time.ZoneOffset.UTC).toInstant()
                        : java.time.Instant.parse(s);
            } catch (java.time.format.DateTimeParseException e) {
                // answered below
            }
        }
        Responses.error(ctx, 400, "invalid_request", field + " must be a date (YYYY-MM-DD) or an RFC 3339 instant", field);
        return null;
    }

    static JsonObject report(ComparisonReport.Snapshot s) {
        return new JsonObject().put("candidateVersion", s.candidateVersion()).put("compared", s.compared())
                .put("changed", s.changed()).put("transitions", new JsonObject(new java.util.LinkedHashMap<>(s.transitions())))
                .put("rulesAdded", new JsonObject(new java.util.LinkedHashMap<>(s.rulesAdded())))
                .put("rulesRemoved", new JsonObject(new java.util.LinkedHashMap<>(s.rulesRemoved())));
    }

    public void putRules(RoutingContext ctx) {
        RiskSettings next = parseRules(ctx, ctx.body().asString(), "");
        if (next == null) return;
        int current = risk.settings().version();
        if (next.version() <= current) {
            Responses.error(ctx, 409, "invalid_state", "version " + next.version() + " is not newer than the rule set in force ("
                    + current + ")", "version");
            return;
        }
        String rendered = RuleSetDocument.render(next);
        store.put(next.version(), rendered, actor(ctx), "version " + current + " -> " + next.version()).onComplete(ar -> {
            if (ar.failed()) {
                LOG.warning("admin: storing rule set " + next.version() + " failed: " + ar.cause());
                Responses.send(ctx, GatewayErrors.UNAVAILABLE);
            } else if (!ar.result()) {
                Responses.error(ctx, 409, "invalid_state", "version " + next.version() + " was already put; put a newer version", "version");
            } else {
                risk.update(next);
                LOG.info("admin: risk rules version " + next.version() + " in force (was " + current + ")");
                Responses.send(ctx, Reply.of(200, rendered));
            }
        });
    }

    public void getConfig(RoutingContext ctx) {
        Responses.send(ctx, Reply.of(200, tunables.toJson().put("riskRulesVersion", risk.settings().version()).encode()));
    }

    public void putConfig(RoutingContext ctx) {
        JsonObject change;
        try {
            change = ctx.body().asJsonObject();
        } catch (DecodeException | ClassCastException e) {
            change = null;
        }
        if (change == null || change.isEmpty()) {
            Responses.error(ctx, 400, "invalid_request", "the body must be a JSON object with the settings to change");
            return;
        }
        Decoded<Tunables.Change> planned = tunables.plan(change);
        if (!planned.isValid()) {
            Responses.error(ctx, 400, "invalid_request", planned.invalid().message(), planned.invalid().field());
            return;
        }
        String description = planned.value().description().encode();
        // Audited first: a change that cannot be recorded is not made.
        audit.append(actor(ctx), "config.put", description).onComplete(ar -> {
            if (ar.failed()) {
                LOG.warning("admin: config change not made, the audit trail is unavailable: " + ar.cause());
                Responses.send(ctx, GatewayErrors.UNAVAILABLE);
                return;
            }
            planned.value().apply().run();
            LOG.info("admin: config changed " + description);
            getConfig(ctx);
        });
    }

    public void recentAudit(RoutingContext ctx) {
        int limit;
        try {
            limit = Math.max(1, Math.min(1000, Integer.parseInt(ctx.queryParams().get("limit") == null ? "100" : ctx.queryParams().get("limit"))));
        } catch (NumberFormatException e) {
            Responses.error(ctx, 400, "invalid_request", "limit must be a number", "limit");
            return;
        }
        audit.recent(limit).onSuccess(entries -> {
            JsonArray out = new JsonArray();
            for (AdminAudit.Entry e : entries) {
                out.add(new JsonObject().put("seq", e.seq()).put("at", e.at().toString()).put("actor", e.actor())
                        .put("action", e.action()).put("detail", e.detail()));
            }
            Responses.send(ctx, Reply.of(200, new JsonObject().put("entries", out).encode()));
        }).onFailure(e -> Responses.send(ctx, GatewayErrors.UNAVAILABLE));
    }

    /** Both tamper-evident trails: the admin audit chain and the seals over payment state changes. */
    /** GET /admin/audit/anchors: the newest seal of every chain, to keep outside the database. */
    public void anchors(RoutingContext ctx) {
        seals.anchors().map(list -> {
                    JsonArray out = new JsonArray();
                    for (EventSeals.Anchor a : list) out.add(a.chain() + ":" + a.seq() + ":" + a.hash());
                    return Reply.of(200, new JsonObject().put("anchors", out).encode());
                })
                .onSuccess(reply -> Responses.send(ctx, reply))
                .onFailure(e -> Responses.send(ctx, GatewayErrors.UNAVAILABLE));
    }

    /**
     * GET /admin/audit/verify[?anchor=CHAIN:SEQ:HASH...]: the admin chain, the payment-event seals and, for each
     * anchor given (from an earlier GET /admin/audit/anchors), that its seal still exists with that hash.
     */
    public void verifyAudit(RoutingContext ctx) {
        List<EventSeals.Anchor> anchors = new ArrayList<>();
        for (String a : ctx.queryParam("anchor")) {
            EventSeals.Anchor anchor = parseAnchor(a);
            if (anchor == null) {
                Responses.error(ctx, 400, "invalid_request", "an anchor is CHAIN:SEQ:HASH (hex), as GET /admin/audit/anchors lists it", "anchor");
                return;
            }
            anchors.add(anchor);
        }
        audit.verify().compose(admin -> seals.verify().compose(events -> seals.verifyAnchors(anchors).map(anchorProblem -> {
                    boolean intact = admin.intact() && events.intact() && anchorProblem == null;
                    return Reply.of(intact ? 200 : 409, new JsonObject()
                            .put("intact", intact).put("checked", admin.checked()).put("brokenAt", admin.brokenAt())
                            .put("problem", admin.problem())
                            .put("paymentEvents", new JsonObject().put("intact", events.intact()).put("seals", events.seals())
                                    .put("events", events.events()).put("problem", events.problem()))
                            .put("anchors", new JsonObject().put("checked", anchors.size()).put("problem", anchorProblem))
                            .encode());
                })))
                .onSuccess(reply -> Responses.send(ctx, reply))
                .onFailure(e -> Responses.send(ctx, GatewayErrors.UNAVAILABLE));
    }
}
