package dev.payproc.gateway.http;

import dev.payproc.core.card.Sha256;
import dev.payproc.core.model.DisputeStatus;
import dev.payproc.core.model.Reply;
import dev.payproc.core.port.Disputes;
import dev.payproc.core.port.FeedSignal;
import dev.payproc.gateway.auth.ApiKeyAuthenticator;
import dev.payproc.gateway.codec.Decoded;
import dev.payproc.gateway.codec.DisputeJson;
import dev.payproc.gateway.codec.DisputeRequests;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.logging.Logger;

/**
 * A merchant's side of disputes and complaints (its API key): {@code GET /v1/disputes[?status=]},
 * {@code GET /v1/disputes/{id}}, {@code POST /v1/disputes/{id}/evidence}, {@code POST /v1/disputes/{id}/accept},
 * {@code POST /v1/payments/{id}/complaints}, {@code GET /v1/complaints[?status=]}. Only its own are visible: another
 * merchant's dispute is not found. Every POST takes an {@code Idempotency-Key}.
 */
public final class DisputesHandler {
    private static final Logger LOG = Logger.getLogger(DisputesHandler.class.getName());
    static final int LIST_LIMIT = 500;

    private final ApiKeyAuthenticator authenticator;
    private final Disputes disputes;
    private final FeedSignal feed;

    public DisputesHandler(ApiKeyAuthenticator authenticator, Disputes disputes, FeedSignal feed) {
        this.authenticator = authenticator;
        this.disputes = disputes;
        this.feed = feed;
    }

    public void list(RoutingContext ctx) {
        MerchantAuth.resolve(ctx, authenticator, merchant -> {
            DisputeStatus status = status(ctx);
            if (status == null && ctx.queryParams().get("status") != null) return;
            disputes.list(merchant, status, LIST_LIMIT)
                    .onSuccess(found -> Responses.send(ctx, Reply.of(200, DisputeJson.disputes(found))))
                    .onFailure(e -> MerchantAuth.unavailable(ctx, "dispute list", e));
        });
    }

    public void get(RoutingContext ctx) {
        String id = ctx.pathParam("id");
        MerchantAuth.resolve(
                ctx,
                authenticator,
                merchant -> disputes.find(id, merchant)
                        .onSuccess(d -> {
                            if (d == null)
                                Responses.error(ctx, 404, "not_found", "no dispute with this id for this merchant");
                            else
                                Responses.send(
                                        ctx,
                                        Reply.of(200, DisputeJson.dispute(d).encode()));
                        })
                        .onFailure(e -> MerchantAuth.unavailable(ctx, "dispute lookup", e)));
    }

    public void evidence(RoutingContext ctx) {
        String id = ctx.pathParam("id");
        MerchantAuth.resolve(ctx, authenticator, merchant -> {
            String key = CommandIntake.idempotencyKey(ctx);
            if (key == null) return;
            JsonObject body = RequestBodies.jsonObject(ctx, false);
            if (body == null) return;
            Decoded<DisputeRequests.EvidenceBody> e = DisputeRequests.evidence(body);
            if (!RequestBodies.valid(ctx, e)) return;
            JsonArray files = new JsonArray();
            for (Disputes.EvidenceFile f : e.value().files())
                files.add(new JsonArray().add(f.name()).add(f.reference()));
            JsonArray canonical = new JsonArray().add(e.value().text()).add(files);
            Disputes.Caller caller = new Disputes.Caller(merchant, key, hash("evidence", id, canonical.encode()));
            answer(
                    ctx,
                    disputes.submitEvidence(id, e.value().text(), e.value().files(), caller)
                            .onSuccess(r -> signal(feed, r)),
                    "dispute evidence");
        });
    }

    public void accept(RoutingContext ctx) {
        String id = ctx.pathParam("id");
        MerchantAuth.resolve(ctx, authenticator, merchant -> {
            String key = CommandIntake.idempotencyKey(ctx);
            if (key == null) return;
            JsonObject body = RequestBodies.jsonObject(ctx, true);
            if (body == null) return;
            if (!body.isEmpty()) {
                Responses.error(
                        ctx,
                        400,
                        "invalid_request",
                        "unknown field",
                        body.fieldNames().iterator().next());
                return;
            }
            Disputes.Caller caller = new Disputes.Caller(merchant, key, hash("accept", id, ""));
            answer(ctx, disputes.accept(id, caller).onSuccess(r -> signal(feed, r)), "dispute acceptance");
        });
    }

    public void complain(RoutingContext ctx) {
        String paymentId = ctx.pathParam("id");
        MerchantAuth.resolve(ctx, authenticator, merchant -> {
            String key = CommandIntake.idempotencyKey(ctx);
            if (key == null) return;
            JsonObject body = RequestBodies.jsonObject(ctx, false);
            if (body == null) return;
            Decoded<DisputeRequests.ComplaintBody> c = DisputeRequests.complaint(body);
            if (!RequestBodies.valid(ctx, c)) return;
            byte[] hash = hash(
                    "complaint",
                    paymentId,
                    c.value().reason() + '\u0000' + c.value().description());
            answer(
                    ctx,
                    disputes.complain(
                            paymentId,
                            c.value().reason(),
                            c.value().description(),
                            new Disputes.Caller(merchant, key, hash)),
                    "complaint");
        });
    }

    public void complaints(RoutingContext ctx) {
        MerchantAuth.resolve(ctx, authenticator, merchant -> {
            String status = complaintStatus(ctx);
            if (status == null && ctx.queryParams().get("status") != null) return;
            disputes.complaints(merchant, status, LIST_LIMIT)
                    .onSuccess(found -> Responses.send(ctx, Reply.of(200, DisputeJson.complaints(found))))
                    .onFailure(e -> MerchantAuth.unavailable(ctx, "complaint list", e));
        });
    }

    /** The {@code status} query parameter as a dispute status; null when absent, or when refused (answered 400). */
    static DisputeStatus status(RoutingContext ctx) {
        String s = ctx.queryParams().get("status");
        if (s == null) return null;
        for (DisputeStatus d : DisputeStatus.values()) if (d.name().equals(s)) return d;
        Responses.error(
                ctx,
                400,
                "invalid_request",
                "status must be OPEN, EVIDENCE_SUBMITTED, ACCEPTED, WON or LOST",
                "status");
        return null;
    }

    /** The {@code status} query parameter of complaints; null when absent, or when refused (answered 400). */
    static String complaintStatus(RoutingContext ctx) {
        String s = ctx.queryParams().get("status");
        if (s == null || s.equals("OPEN") || s.equals("ESCALATED") || s.equals("CLOSED")) return s;
        Responses.error(ctx, 400, "invalid_request", "status must be OPEN, ESCALATED or CLOSED", "status");
        return null;
    }

    /** What makes two requests under one idempotency key the same: the route, its id and its decoded body. */
    static byte[] hash(String route, String id, String canonicalBody) {
        return Sha256.of(route + '\u0000' + id + '\u0000' + canonicalBody);
    }

    /**
     * Wakes this process's feed readers waiting for the merchant of a dispute step that wrote its event (its answer,
     * not a replay or a refusal, names the merchant).
     */
    static void signal(FeedSignal feed, Reply step) {
        if (!step.replayed() && (step.status() == 200 || step.status() == 201))
            feed.committed(new JsonObject(step.body()).getString("merchantId"));
    }

    static void answer(RoutingContext ctx, Future<Reply> reply, String what) {
        reply.onSuccess(r -> Responses.send(ctx, r)).onFailure(e -> {
            LOG.warning(what + " failed: " + e);
            Responses.send(ctx, GatewayErrors.UNAVAILABLE);
        });
    }
}
