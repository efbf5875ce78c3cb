package dev.payproc.gateway.http;

import dev.payproc.core.auth.ApiKeys;
import dev.payproc.core.model.Errors;
import dev.payproc.core.model.Reply;
import dev.payproc.core.port.AuditTrail;
import dev.payproc.core.port.Merchants;
import dev.payproc.core.port.Reconciler;
import dev.payproc.core.port.Settlements;
import dev.payproc.gateway.auth.AdminGuard;
import dev.payproc.gateway.auth.ApiKeyAuthenticator;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.logging.Logger;
import java.util.regex.Pattern;

/**
 * Admin provisioning: {@code POST /admin/merchants} {@code {"merchantId", "name"}} creates the merchant if
 * absent and issues a new terminal API key, shown once in the answer and stored only as a hash.
 */
public final class AdminHandler {
    private static final Logger LOG = Logger.getLogger(AdminHandler.class.getName());
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9._:-]{1,64}");
    private static final Pattern KEY_PREFIX = Pattern.compile("sk_[A-Za-z0-9_-]{4}");

    private final AdminGuard guard;
    private final ApiKeyAuthenticator authenticator;
    private final Merchants directory;
    private final Settlements reports;
    private final Reconciler reconciliation;
    private final AuditTrail audit;
    private final Clock clock;

    public AdminHandler(
            AdminGuard guard,
            ApiKeyAuthenticator authenticator,
            Merchants directory,
            Settlements reports,
            Reconciler reconciliation,
            AuditTrail audit,
            Clock clock) {
        this.guard = guard;
        this.authenticator = authenticator;
        this.directory = directory;
        this.reports = reports;
        this.reconciliation = reconciliation;
        this.audit = audit;
        this.clock = clock;
    }

    /**
     * {@code POST /admin/settlements/run} {@code {"date": "YYYY-MM-DD", "merchantId"?}}: moves the day's net
     * from payable to settled for every merchant (or one) not settled for that day yet. Idempotent per day.
     * Only a day that has ended (UTC): a run settles a day once, so commits landing later in it would never be.
     */
    public void runSettlement(RoutingContext ctx) {
        JsonObject body = RequestBodies.jsonObject(ctx, false);
        if (body == null) return;
        LocalDate date = SettlementHandler.day(ctx, body.getValue("date") instanceof String s ? s : null);
        if (date == null) return;
        if (!date.isBefore(LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC))) {
            Responses.error(
                    ctx,
                    400,
                    "invalid_request",
                    "a day can be settled once it has ended (UTC), and " + date + " has not",
                    "date");
            return;
        }
        Object merchant = body.getValue("merchantId");
        if (merchant != null && !(merchant instanceof String)) {
            Responses.error(ctx, 400, "invalid_request", "merchantId must be a string", "merchantId");
            return;
        }
        reports.run(date, (String) merchant)
                .onSuccess(settled -> {
                    JsonArray out = new JsonArray();
                    for (Settlements.Settlement s : settled) {
                        out.add(new JsonObject()
                                .put("id", s.id())
                                .put("merchantId", s.merchantId())
                                .put("currency", s.currency())
                                .put("net", s.net()));
                    }
                    LOG.info("admin: settlement run for " + date + " settled " + settled.size()
                            + " merchant-currency days");
                    audit.append(AdminActor.of(ctx), "settlement.run", date + ": " + out.encode())
                            .onFailure(e -> LOG.warning("admin: could not audit a settlement run: " + e));
                    Responses.send(
                            ctx,
                            Reply.of(
                                    200,
                                    new JsonObject()
                                            .put("date", date.toString())
                                            .put("settled", out)
                                            .encode()));
                })
                .onFailure(e -> {
                    LOG.warning("admin: settlement run failed: " + e);
                    Responses.send(ctx, GatewayErrors.UNAVAILABLE);
                });
    }

    /** {@code GET /admin/reconciliation}: 200 when the ledger agrees with itself, 409 with every disagreement. */
    public void reconcile(RoutingContext ctx) {
        reconciliation
                .run()
                .onSuccess(r -> {
                    JsonArray problems = new JsonArray();
                    for (Reconciler.Problem p : r.problems()) {
                        problems.add(new JsonObject()
                                .put("check", p.check())
                                .put("id", p.id())
                                .put("detail", p.detail()));
                    }
                    JsonObject out = new JsonObject()
                            .put("ok", r.ok())
                            .put(
                                    "checked",
                                    new JsonObject()
                                            .put("payments", r.payments())
                                            .put("postings", r.postings())
                                            .put("settlements", r.settlements()))
                            .put("problems", problems);
                    Responses.send(ctx, Reply.of(r.ok() ? 200 : 409, out.encode()));
                })
                .onFailure(e -> {
                    LOG.warning("admin: reconciliation failed: " + e);
                    Responses.send(ctx, GatewayErrors.UNAVAILABLE);
                });
    }

    /**
     * Refuses any admin request without an admin key, and an address that failed too often with 429; an admitted
     * request acts as the name of its key.
     */
    public void authorize(RoutingContext ctx) {
        AdminGuard.Verdict verdict = guard.check(ctx.request().getHeader("Authorization"), MerchantAuth.address(ctx));
        if (verdict.allowed()) {
            AdminActor.authenticated(ctx, verdict.actor());
            ctx.next();
        } else if (verdict.throttled()) {
            Responses.send(ctx, GatewayErrors.tooManyFailedAuthentications(verdict.retryAfterSeconds()));
        } else {
            Responses.error(
                    ctx,
                    401,
                    "unauthenticated",
                    guard.enabled()
                            ? "the admin key is not valid"
                            : "admin endpoints are disabled: neither ADMIN_API_KEY nor ADMIN_API_KEYS is set");
        }
    }

    public void createMerchant(RoutingContext ctx) {
        JsonObject body = RequestBodies.jsonObject(ctx, false);
        if (body == null) return;
        Object id = body.getValue("merchantId");
        if (!(id instanceof String merchantId) || !ID.matcher(merchantId).matches()) {
            Responses.error(
                    ctx, 400, "invalid_request", "merchantId must be 1-64 characters of [A-Za-z0-9._:-]", "merchantId");
            return;
        }
        Object nameValue = body.getValue("name");
        String name = nameValue instanceof String s && !s.isBlank() ? s : merchantId;
        String apiKey = ApiKeys.newApiKey();
        directory
                .ensureMerchant(merchantId, name)
                .compose(created -> directory.addApiKey(merchantId, apiKey).map(created))
                .compose(created -> audit.append(
                                AdminActor.of(ctx),
                                "merchant.api_key_issued",
                                merchantId + " key " + apiKey.substring(0, 7) + "…")
                        .map(created))
                .onSuccess(created -> {
                    LOG.info("admin: issued a new API key for merchant " + merchantId
                            + (created ? " (new merchant)" : ""));
                    JsonObject out = new JsonObject()
                            .put("merchantId", merchantId)
                            .put("name", name)
                            .put("apiKey", apiKey);
                    Responses.send(ctx, Reply.of(created ? 201 : 200, out.encode()));
                })
                .onFailure(e -> {
                    LOG.warning("admin: creating merchant failed: " + e);
                    Responses.send(ctx, Reply.of(503, Errors.body("unavailable", "the database is unavailable", null)));
                });
    }

    /**
     * {@code POST /admin/merchants/{merchantId}/api-keys/revoke} {@code {"keyPrefix": "sk_…"}}: revokes the merchant's
     * keys in force with that prefix (the first 7 characters of a key, as issued), audited, and forgets them in this
     * process's key cache so they are refused at once here.
     */
    public void revokeApiKey(RoutingContext ctx) {
        JsonObject body = RequestBodies.jsonObject(ctx, false);
        if (body == null) return;
        String merchantId = ctx.pathParam("merchantId");
        if (!(body.getValue("keyPrefix") instanceof String prefix)
                || !KEY_PREFIX.matcher(prefix).matches()) {
            Responses.error(
                    ctx,
                    400,
                    "invalid_request",
                    "keyPrefix must be the first 7 characters of a key (sk_ and 4 more)",
                    "keyPrefix");
            return;
        }
        directory
                .revokeApiKeys(merchantId, prefix)
                .compose(revoked -> {
                    revoked.forEach(k -> authenticator.forget(k.keyHash()));
                    if (revoked.isEmpty()) return Future.succeededFuture(revoked);
                    return audit.append(
                                    AdminActor.of(ctx),
                                    "merchant.api_key_revoked",
                                    merchantId + " key " + prefix + "… (" + revoked.size() + ")")
                            .map(revoked);
                })
                .onSuccess(revoked -> {
                    if (revoked.isEmpty()) {
                        Responses.error(
                                ctx,
                                404,
                                "not_found",
                                "this merchant has no key in force with this prefix",
                                "keyPrefix");
                        return;
                    }
                    LOG.info("admin: revoked " + revoked.size() + " API key(s) of merchant " + merchantId);
                    JsonArray keys = new JsonArray();
                    for (Merchants.RevokedKey k : revoked) {
                        keys.add(new JsonObject()
                                .put("keyPrefix", k.keyPrefix())
                                .put("revokedAt", k.revokedAt().toString()));
                    }
                    Responses.send(
                            ctx,
                            Reply.of(
                                    200,
                                    new JsonObject()
                                            .put("merchantId", merchantId)
                                            .put("revoked", keys)
                                            .encode()));
                })
                .onFailure(e -> {
                    LOG.warning("admin: revoking an API key failed: " + e);
                    Responses.send(ctx, GatewayErrors.UNAVAILABLE);
                });
    }
}
