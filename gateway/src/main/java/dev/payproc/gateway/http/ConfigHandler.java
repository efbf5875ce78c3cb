package dev.payproc.gateway.http;

import dev.payproc.core.model.Reply;
import dev.payproc.core.port.AuditTrail;
import dev.payproc.core.port.RiskRules;
import dev.payproc.gateway.codec.Decoded;
import dev.payproc.gateway.ops.Tunables;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.logging.Logger;

/** {@code GET/PUT /admin/config}: the tunables, every change validated all-or-nothing and audited before it is made. */
public final class ConfigHandler {
    private static final Logger LOG = Logger.getLogger(ConfigHandler.class.getName());

    private final Tunables tunables;
    private final RiskRules risk;
    private final AuditTrail audit;

    public ConfigHandler(Tunables tunables, RiskRules risk, AuditTrail audit) {
        this.tunables = tunables;
        this.risk = risk;
        this.audit = audit;
    }

    public void getConfig(RoutingContext ctx) {
        Responses.send(
                ctx,
                Reply.of(
                        200,
                        tunables.toJson()
                                .put("riskRulesVersion", risk.version())
                                .encode()));
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
            Responses.error(
                    ctx,
                    400,
                    "invalid_request",
                    planned.invalid().message(),
                    planned.invalid().field());
            return;
        }
        String description = planned.value().description().encode();
        // Audited first: a change that cannot be recorded is not made.
        audit.append(AdminActor.of(ctx), "config.put", description).onComplete(ar -> {
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
}
