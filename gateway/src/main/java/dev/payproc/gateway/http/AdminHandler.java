package dev.payproc.gateway.http;

import dev.payproc.core.model.Errors;
import dev.payproc.core.model.Reply;
import dev.payproc.gateway.auth.AdminGuard;
import dev.payproc.settlement.MerchantDirectory;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

import java.util.logging.Logger;
import java.util.regex.Pattern;

/**
 * Admin provisioning: {@code POST /admin/merchants} {@code {"merchantId", "name"}} creates the merchant if
 * absent and issues a new terminal API key, shown once in the answer and stored only as a hash.
 */
public final class AdminHandler {
    private static final Logger LOG = Logger.getLogger(AdminHandler.class.getName());
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9._:-]{1,64}");

    private final AdminGuard guard;
    private final MerchantDirectory directory;

    public AdminHandler(AdminGuard guard, MerchantDirectory directory) {
        this.guard = guard;
        this.directory = directory;
    }

    /** Refuses any admin request without the admin key. */
    public void authorize(RoutingContext ctx) {
        if (guard.allows(ctx.request().getHeader("Authorization"))) {
            ctx.next();
        } else {
            Responses.error(ctx, 401, "unauthenticated", guard.enabled() ? "the admin key is not valid"
                    : "admin endpoints are disabled: ADMIN_API_KEY is not set");
        }
    }

    public void createMerchant(RoutingContext ctx) {
        JsonObject body;
        try {
            body = ctx.body().asJsonObject();
        } catch (DecodeException | ClassCastException e) {
            Responses.error(ctx, 400, "invalid_request", "the body must be a JSON object");
            return;
        }
        Object id = body == null ? null : body.getValue("merchantId");
        if (!(id instanceof String merchantId) || !ID.matcher(merchantId).matches()) {
            Responses.error(ctx, 400, "invalid_request", "merchantId must be 1-64 characters of [A-Za-z0-9._:-]", "merchantId");
            return;
        }
        Object nameValue = body.getValue("name");
        String name = nameValue instanceof String s && !s.isBlank() ? s : merchantId;
        String apiKey = MerchantDirectory.newApiKey();
        directory.ensureMerchant(merchantId, name)
                .compose(created -> directory.addApiKey(merchantId, apiKey).map(created))
                .onSuccess(created -> {
                    LOG.info("admin: issued a new API key for merchant " + merchantId + (created ? " (new merchant)" : ""));
                    JsonObject out = new JsonObject().put("merchantId", merchantId).put("name", name).put("apiKey", apiKey);
                    Responses.send(ctx, Reply.of(created ? 201 : 200, out.encode()));
                })
                .onFailure(e -> {
                    LOG.warning("admin: creating merchant failed: " + e);
                    Responses.send(ctx, Reply.of(503, Errors.body("unavailable", "the database is unavailable", null)));
                });
    }
}
