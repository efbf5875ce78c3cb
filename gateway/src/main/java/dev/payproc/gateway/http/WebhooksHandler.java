package dev.payproc.gateway.http;

import dev.payproc.core.model.Reply;
import dev.payproc.core.port.AuditTrail;
import dev.payproc.core.port.Webhooks;
import dev.payproc.gateway.auth.ApiKeyAuthenticator;
import dev.payproc.gateway.codec.Decoded;
import dev.payproc.gateway.codec.WebhookDecoder;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import java.util.List;
import java.util.logging.Logger;

/**
 * Webhook endpoints: registered, listed, disabled, their deliveries shown, a parked event re-sent and a replay asked
 * for through the admin API (each change audited), and a merchant's own list and replay with its API key. A secret is
 * in the registration's answer only; no answer, log line or audit entry carries it.
 */
public final class WebhooksHandler {
    private static final Logger LOG = Logger.getLogger(WebhooksHandler.class.getName());
    public static final int DEFAULT_DELIVERIES = 50;
    public static final int MAX_DELIVERIES = 500;

    private final Webhooks webhooks;
    private final ApiKeyAuthenticator authenticator;
    private final AuditTrail audit;

    public WebhooksHandler(Webhooks webhooks, ApiKeyAuthenticator authenticator, AuditTrail audit) {
        this.webhooks = webhooks;
        this.authenticator = authenticator;
        this.audit = audit;
    }

    /** {@code POST /admin/webhooks}: 201 with the endpoint and its secret; 400 or 404 with nothing stored. */
    public void register(RoutingContext ctx) {
        Decoded<WebhookDecoder.Registration> d = WebhookDecoder.registration(body(ctx));
        if (!d.isValid()) {
            Responses.error(
                    ctx,
                    400,
                    "invalid_request",
                    d.invalid().message(),
                    d.invalid().field());
            return;
        }
        WebhookDecoder.Registration req = d.value();
        String actor = AdminActor.of(ctx);
        webhooks.register(req.merchantId(), req.url(), req.eventTypes())
                .onSuccess(result -> {
                    if (result instanceof Webhooks.Refused r) {
                        Responses.error(ctx, 400, "invalid_request", r.message(), r.field());
                    } else if (result instanceof Webhooks.UnknownMerchant) {
                        Responses.error(ctx, 404, "not_found", "no such merchant", "merchantId");
                    } else if (result instanceof Webhooks.Registered r) {
                        Webhooks.Endpoint e = r.endpoint();
                        audit.append(
                                        actor,
                                        "webhook.registered",
                                        e.id() + " for " + e.merchantId() + " from sequence " + e.deliveredSeq()
                                                + " types " + (e.eventTypes().isEmpty() ? "all" : e.eventTypes()))
                                .onFailure(x -> LOG.warning("admin: could not audit a webhook registration: " + x));
                        Responses.send(
                                ctx,
                                Reply.of(201, json(e).put("secret", r.secret()).encode()));
                    }
                })
                .onFailure(e -> MerchantAuth.unavailable(ctx, "webhook registration", e));
    }

    /** {@code GET /admin/webhooks?merchantId=}: every endpoint, or the merchant's. */
    public void list(RoutingContext ctx) {
        List<String> merchant = ctx.queryParams().getAll("merchantId");
        if (merchant.size() > 1) {
            Responses.error(ctx, 400, "invalid_request", "merchantId must be given at most once", "merchantId");
            return;
        }
        answerList(ctx, merchant.isEmpty() ? null : merchant.get(0));
    }

    /** {@code GET /v1/webhooks}: the key's merchant's endpoints. */
    public void merchantList(RoutingContext ctx) {
        MerchantAuth.resolve(ctx, authenticator, merchantId -> answerList(ctx, merchantId));
    }

    private void answerList(RoutingContext ctx, String merchantId) {
        webhooks.list(merchantId)
                .onSuccess(list -> {
                    JsonArray out = new JsonArray();
                    list.forEach(e -> out.add(json(e)));
                    Responses.send(
                            ctx,
                            Reply.of(200, new JsonObject().put("webhooks", out).encode()));
                })
                .onFailure(e -> MerchantAuth.unavailable(ctx, "webhook list", e));
    }

    /** {@code GET /admin/webhooks/{id}}. */
    public void get(RoutingContext ctx) {
        webhooks.get(ctx.pathParam("id"))
                .onSuccess(e -> {
                    if (e == null) notFound(ctx);
                    else Responses.send(ctx, Reply.of(200, json(e).encode()));
                })
                .onFailure(e -> MerchantAuth.unavailable(ctx, "webhook read", e));
    }

    /** {@code DELETE /admin/webhooks/{id}}: disabled (again: the same answer, audited once). */
    public void disable(RoutingContext ctx) {
        String actor = AdminActor.of(ctx);
        String id = ctx.pathParam("id");
        webhooks.get(id)
                .compose(before -> before == null
                        ? io.vertx.core.Future.<Webhooks.Endpoint>succeededFuture()
                        : webhooks.disable(id)
                                .compose(after -> before.disabledAt() != null
                                        ? io.vertx.core.Future.succeededFuture(after)
                                        : audit.append(actor, "webhook.disabled", id + " of " + after.merchantId())
                                                .map(after)))
                .onSuccess(e -> {
                    if (e == null) notFound(ctx);
                    else Responses.send(ctx, Reply.of(200, json(e).encode()));
                })
                .onFailure(e -> MerchantAuth.unavailable(ctx, "webhook disable", e));
    }

    /** {@code GET /admin/webhooks/{id}/deliveries?limit=}: attempts and outcomes, newest first. */
    public void deliveries(RoutingContext ctx) {
        Long limit = number(ctx, "limit", 1, MAX_DELIVERIES, DEFAULT_DELIVERIES);
        if (limit == null) return;
        String id = ctx.pathParam("id");
        webhooks.get(id)
                .compose(e -> e == null
                        ? io.vertx.core.Future.<List<Webhooks.Attempt>>succeededFuture()
                        : webhooks.attempts(id, limit.intValue()))
                .onSuccess(attempts -> {
                    if (attempts == null) {
                        notFound(ctx);
                        return;
                    }
                    JsonArray out = new JsonArray();
                    for (Webhooks.Attempt a : attempts) {
                        out.add(new JsonObject()
                                .put("seq", a.feedSeq())
                                .put("attempt", a.attempt())
                                .put("resend", a.resend())
                                .put("startedAt", a.startedAt().toString())
                                .put("durationMs", a.durationMillis())
                                .put("httpStatus", a.httpStatus())
                                .put("outcome", a.outcome())
                                .put("error", a.error()));
                    }
                    Responses.send(
                            ctx,
                            Reply.of(
                                    200,
                                    new JsonObject()
                                            .put("id", id)
                                            .put("deliveries", out)
                                            .encode()));
                })
                .onFailure(e -> MerchantAuth.unavailable(ctx, "webhook deliveries", e));
    }

    /** {@code POST /admin/webhooks/{id}/deliveries/{seq}/resend}: 202 for a parked event, 409 for any other. */
    public void resend(RoutingContext ctx) {
        String actor = AdminActor.of(ctx);
        String id = ctx.pathParam("id");
        Long seq = sequence(ctx.pathParam("seq"));
        if (seq == null) {
            Responses.error(ctx, 400, "invalid_request", "seq must be a feed sequence of 1 or more", "seq");
            return;
        }
        webhooks.get(id)
                .compose(e -> e == null
                        ? io.vertx.core.Future.<Boolean>succeededFuture()
                        : webhooks.resend(id, seq)
                                .compose(queued -> !queued
                                        ? io.vertx.core.Future.succeededFuture(false)
                                        : audit.append(actor, "webhook.resend", id + " event " + seq)
                                                .map(true)))
                .onSuccess(queued -> {
                    if (queued == null) notFound(ctx);
                    else if (!queued) {
                        Responses.error(
                                ctx,
                                409,
                                "invalid_state",
                                "event " + seq
                                        + " is not parked for this endpoint (only a parked event can be re-sent)",
                                "seq");
                    } else {
                        Responses.send(
                                ctx,
                                Reply.of(
                                        202,
                                        new JsonObject()
                                                .put("id", id)
                                                .put("seq", seq)
                                                .put("resend", "queued")
                                                .encode()));
                    }
                })
                .onFailure(e -> MerchantAuth.unavailable(ctx, "webhook resend", e));
    }

    /** {@code POST /admin/webhooks/{id}/replay} {@code {"after": SEQ}}. */
    public void replay(RoutingContext ctx) {
        replay(ctx, null, AdminActor.of(ctx));
    }

    /** {@code POST /v1/webhooks/{id}/replay} {@code {"after": SEQ}}: the merchant's own endpoint only (else 404). */
    public void merchantReplay(RoutingContext ctx) {
        MerchantAuth.resolve(ctx, authenticator, merchantId -> replay(ctx, merchantId, "merchant:" + merchantId));
    }

    private void replay(RoutingContext ctx, String merchantId, String actor) {
        Decoded<Long> after = WebhookDecoder.replay(body(ctx));
        if (!after.isValid()) {
            Responses.error(
                    ctx,
                    400,
                    "invalid_request",
                    after.invalid().message(),
                    after.invalid().field());
            return;
        }
        long seq = after.value();
        String id = ctx.pathParam("id");
        webhooks.get(id)
                .onSuccess(e -> {
                    if (e == null || (merchantId != null && !merchantId.equals(e.merchantId()))) {
                        notFound(ctx);
                    } else if (e.disabledAt() != null) {
                        Responses.error(ctx, 409, "invalid_state", "the endpoint is disabled");
                    } else if (seq > e.head()) {
                        Responses.error(
                                ctx,
                                400,
                                "invalid_request",
                                "after must be from 0 to the merchant's newest feed sequence, " + e.head(),
                                "after");
                    } else {
                        webhooks.replay(id, seq)
                                .compose(moved -> audit.append(
                                                actor,
                                                "webhook.replayed",
                                                id + " from sequence " + e.deliveredSeq() + " back to " + seq)
                                        .map(moved))
                                .onSuccess(moved -> Responses.send(
                                        ctx, Reply.of(200, json(moved).encode())))
                                .onFailure(x -> MerchantAuth.unavailable(ctx, "webhook replay", x));
                    }
                })
                .onFailure(e -> MerchantAuth.unavailable(ctx, "webhook replay", e));
    }

    static JsonObject json(Webhooks.Endpoint e) {
        return new JsonObject()
                .put("id", e.id())
                .put("merchantId", e.merchantId())
                .put("url", e.url())
                .put("eventTypes", new JsonArray(List.copyOf(e.eventTypes())))
                .put("createdAt", text(e.createdAt()))
                .put("disabled", e.disabledAt() != null)
                .put("disabledAt", text(e.disabledAt()))
                .put("deliveredSeq", e.deliveredSeq())
                .put("head", e.head())
                .put("backlog", e.backlog())
                .put("attempts", e.attempts())
                .put("nextAttemptAt", text(e.nextAttemptAt()))
                .put("parked", e.parked());
    }

    private static String text(Instant t) {
        return t == null ? null : t.toString();
    }

    private static void notFound(RoutingContext ctx) {
        Responses.error(ctx, 404, "not_found", "no such webhook endpoint");
    }

    private static byte[] body(RoutingContext ctx) {
        return ctx.body().buffer() == null ? new byte[0] : ctx.body().buffer().getBytes();
    }

    private static Long sequence(String text) {
        if (text == null
                || text.isEmpty()
                || text.length() > 18
                || !text.chars().allMatch(c -> c >= '0' && c <= '9')) return null;
        long n = Long.parseLong(text);
        return n >= 1 ? n : null;
    }

    private static Long number(RoutingContext ctx, String name, long min, long max, long absent) {
        List<String> values = ctx.queryParams().getAll(name);
        if (values.isEmpty()) return absent;
        Long n = values.size() == 1 ? sequence(values.get(0)) : null;
        if (n == null || n < min || n > max) {
            Responses.error(
                    ctx,
                    400,
                    "invalid_request",
                    name + " must be a whole number from " + min + " to " + max + ", given once",
                    name);
            return null;
        }
        return n;
    }
}
