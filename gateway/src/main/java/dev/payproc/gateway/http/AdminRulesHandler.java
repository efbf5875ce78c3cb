package dev.payproc.gateway.http;

import dev.payproc.core.model.Errors;
import dev.payproc.core.model.Reply;
import dev.payproc.gateway.codec.Decoded;
import dev.payproc.gateway.ops.Tunables;
import dev.payproc.risk.RiskEngine;
import dev.payproc.risk.RiskSettings;
import dev.payproc.risk.Violation;
import dev.payproc.risk.json.RuleSetDocument;
import dev.payproc.settlement.AdminAudit;
import dev.payproc.settlement.RiskRuleStore;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

import java.util.logging.Logger;

/**
 * The admin surface that changes behaviour at run time, every change validated first and audited:
 * {@code GET/PUT /admin/risk-rules} (a versioned rule-set document, stored so every process picks it up,
 * swapped into the engine between two decisions), {@code GET/PUT /admin/config} (tunables), and the audit
 * trail ({@code GET /admin/audit}, {@code GET /admin/audit/verify}).
 */
public final class AdminRulesHandler {
    private static final Logger LOG = Logger.getLogger(AdminRulesHandler.class.getName());

    private final RiskEngine engine;
    private final RiskRuleStore store;
    private final AdminAudit audit;
    private final Tunables tunables;

    public AdminRulesHandler(RiskEngine engine, RiskRuleStore store, AdminAudit audit, Tunables tunables) {
        this.engine = engine;
        this.store = store;
        this.audit = audit;
        this.tunables = tunables;
    }

    static String actor(RoutingContext ctx) {
        String who = ctx.request().getHeader("X-Admin-Actor");
        return who == null || who.isBlank() || who.length() > 64 ? "admin" : who;
    }

    public void getRules(RoutingContext ctx) {
        Responses.send(ctx, Reply.of(200, RuleSetDocument.render(engine.settings())));
    }

    public void putRules(RoutingContext ctx) {
        String document = ctx.body().asString();
        RuleSetDocument.Result parsed = RuleSetDocument.parse(document == null ? "" : document);
        if (parsed instanceof RuleSetDocument.Invalid invalid) {
            JsonArray violations = new JsonArray();
            for (Violation v : invalid.errors()) violations.add(new JsonObject().put("field", v.field()).put("message", v.message()));
            Violation first = invalid.errors().get(0);
            JsonObject body = new JsonObject(Errors.body("invalid_request", "the rule set is not valid: " + first.message(), first.field()))
                    .put("violations", violations);
            Responses.send(ctx, Reply.of(400, body.encode()));
            return;
        }
        RiskSettings next = ((RuleSetDocument.Valid) parsed).settings();
        int current = engine.settings().version();
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
                engine.update(next);
                LOG.info("admin: risk rules version " + next.version() + " in force (was " + current + ")");
                Responses.send(ctx, Reply.of(200, rendered));
            }
        });
    }

    public void getConfig(RoutingContext ctx) {
        Responses.send(ctx, Reply.of(200, tunables.toJson().put("riskRulesVersion", engine.settings().version()).encode()));
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
        Decoded<JsonObject> applied = tunables.apply(change);
        if (!applied.isValid()) {
            Responses.error(ctx, 400, "invalid_request", applied.invalid().message(), applied.invalid().field());
            return;
        }
        LOG.info("admin: config changed " + applied.value().encode());
        audit.append(actor(ctx), "config.put", applied.value().encode())
                .onFailure(e -> LOG.warning("admin: could not audit a config change: " + e))
                .onComplete(v -> getConfig(ctx));
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

    public void verifyAudit(RoutingContext ctx) {
        audit.verify().onSuccess(v -> Responses.send(ctx, Reply.of(v.intact() ? 200 : 409, new JsonObject()
                        .put("intact", v.intact()).put("checked", v.checked()).put("brokenAt", v.brokenAt()).put("problem", v.problem())
                        .encode())))
                .onFailure(e -> Responses.send(ctx, GatewayErrors.UNAVAILABLE));
    }
}
