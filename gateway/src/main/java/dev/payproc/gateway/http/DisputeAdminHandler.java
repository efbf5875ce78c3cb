package dev.payproc.gateway.http;

import dev.payproc.core.model.DisputeStatus;
import dev.payproc.core.model.Reply;
import dev.payproc.core.port.AuditTrail;
import dev.payproc.core.port.Disputes;
import dev.payproc.core.port.FeedSignal;
import dev.payproc.gateway.codec.Decoded;
import dev.payproc.gateway.codec.DisputeJson;
import dev.payproc.gateway.codec.DisputeRequests;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.logging.Logger;

/**
 * The acquirer's side of disputes and complaints (an admin key): {@code POST /admin/payments/{id}/disputes} (a
 * network's notice), {@code POST /admin/disputes/{id}/outcome}, {@code GET /admin/disputes[?status=&merchantId=]},
 * {@code GET /admin/disputes/{id}}, {@code POST /admin/payments/{id}/complaints} (support),
 * {@code GET /admin/complaints[?status=&merchantId=]}, {@code POST /admin/complaints/{id}/escalate}, {@code POST /admin/complaints/{id}/close}. Every POST takes
 * an {@code Idempotency-Key}; each change made (not a replay, not a refusal) is appended to the admin audit.
 */
public final class DisputeAdminHandler {
    private static final Logger LOG = Logger.getLogger(DisputeAdminHandler.class.getName());

    private final Disputes disputes;
    private final AuditTrail audit;
    private final Clock clock;
    private final FeedSignal feed;

    public DisputeAdminHandler(Disputes disputes, AuditTrail audit, Clock clock, FeedSignal feed) {
        this.disputes = disputes;
        this.audit = audit;
        this.clock = clock;
        this.feed = feed;
    }

    public void open(RoutingContext ctx) {
        String paymentId = ctx.pathParam("id");
        Decoded<DisputeRequests.Opening> o = opening(ctx);
        String key = o == null ? null : CommandIntake.idempotencyKey(ctx);
        if (key == null) return;
        Disputes.Caller caller = new Disputes.Caller(null, key, hash("open", paymentId, o.value()));
        audited(
                ctx,
                disputes.open(
                        paymentId,
                        o.value().reasonCode(),
                        o.value().amount(),
                        o.value().dueDate(),
                        caller),
                "dispute.opened",
                true);
    }

    public void escalate(RoutingContext ctx) {
        String complaintId = ctx.pathParam("id");
        Decoded<DisputeRequests.Opening> o = opening(ctx);
        String key = o == null ? null : CommandIntake.idempotencyKey(ctx);
        if (key == null) return;
        Disputes.Caller caller = new Disputes.Caller(null, key, hash("escalate", complaintId, o.value()));
        audited(
                ctx,
                disputes.escalate(
                        complaintId,
                        o.value().reasonCode(),
                        o.value().amount(),
                        o.value().dueDate(),
                        caller),
                "complaint.escalated",
                true);
    }

    public void outcome(RoutingContext ctx) {
        String disputeId = ctx.pathParam("id");
        JsonObject body = RequestBodies.jsonObject(ctx, false);
        if (body == null) return;
        Decoded<Boolean> won = DisputeRequests.outcome(body);
        if (!RequestBodies.valid(ctx, won)) return;
        String key = CommandIntake.idempotencyKey(ctx);
        if (key == null) return;
        Disputes.Caller caller = new Disputes.Caller(
                null,
                key,
                DisputesHandler.hash("outcome", disputeId, won.value().toString()));
        audited(
                ctx,
                disputes.decide(disputeId, won.value(), caller),
                won.value() ? "dispute.won" : "dispute.lost",
                true);
    }

    public void complain(RoutingContext ctx) {
        String paymentId = ctx.pathParam("id");
        JsonObject body = RequestBodies.jsonObject(ctx, false);
        if (body == null) return;
        Decoded<DisputeRequests.ComplaintBody> c = DisputeRequests.complaint(body);
        if (!RequestBodies.valid(ctx, c)) return;
        String key = CommandIntake.idempotencyKey(ctx);
        if (key == null) return;
        byte[] hash = DisputesHandler.hash(
                "complaint",
                paymentId,
                c.value().reason() + '\u0000' + c.value().description());
        audited(
                ctx,
                disputes.complain(
                        paymentId, c.value().reason(), c.value().description(), new Disputes.Caller(null, key, hash)),
                "complaint.recorded",
                false);
    }

    /** {@code POST /admin/complaints/{id}/close} {@code {"resolution"}}: an OPEN complaint closed, audited. */
    public void close(RoutingContext ctx) {
        String complaintId = ctx.pathParam("id");
        JsonObject body = RequestBodies.jsonObject(ctx, false);
        if (body == null) return;
        Decoded<String> resolution = DisputeRequests.closing(body);
        if (!RequestBodies.valid(ctx, resolution)) return;
        String key = CommandIntake.idempotencyKey(ctx);
        if (key == null) return;
        Disputes.Caller caller =
                new Disputes.Caller(null, key, DisputesHandler.hash("close", complaintId, resolution.value()));
        audited(ctx, disputes.closeComplaint(complaintId, resolution.value(), caller), "complaint.closed", false);
    }

    public void list(RoutingContext ctx) {
        DisputeStatus status = DisputesHandler.status(ctx);
        if (status == null && ctx.queryParams().get("status") != null) return;
        disputes.list(ctx.queryParams().get("merchantId"), status, DisputesHandler.LIST_LIMIT)
                .onSuccess(found -> Responses.send(ctx, Reply.of(200, DisputeJson.disputes(found))))
                .onFailure(e -> MerchantAuth.unavailable(ctx, "dispute list", e));
    }

    public void get(RoutingContext ctx) {
        disputes.find(ctx.pathParam("id"), null)
                .onSuccess(d -> {
                    if (d == null) Responses.error(ctx, 404, "not_found", "no dispute with this id");
                    else
                        Responses.send(ctx, Reply.of(200, DisputeJson.dispute(d).encode()));
                })
                .onFailure(e -> MerchantAuth.unavailable(ctx, "dispute lookup", e));
    }

    public void complaints(RoutingContext ctx) {
        String status = DisputesHandler.complaintStatus(ctx);
        if (status == null && ctx.queryParams().get("status") != null) return;
        disputes.complaints(ctx.queryParams().get("merchantId"), status, DisputesHandler.LIST_LIMIT)
                .onSuccess(found -> Responses.send(ctx, Reply.of(200, DisputeJson.complaints(found))))
                .onFailure(e -> MerchantAuth.unavailable(ctx, "complaint list", e));
    }

    /** The opening body, due today or later; null when refused (answered 400). */
    private Decoded<DisputeRequests.Opening> opening(RoutingContext ctx) {
        JsonObject body = RequestBodies.jsonObject(ctx, false);
        if (body == null) return null;
        Decoded<DisputeRequests.Opening> o =
                DisputeRequests.opening(body, LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC));
        return RequestBodies.valid(ctx, o) ? o : null;
    }

    private static byte[] hash(String route, String id, DisputeRequests.Opening o) {
        return DisputesHandler.hash(route, id, o.reasonCode() + '\u0000' + o.amount() + '\u0000' + o.dueDate());
    }

    /**
     * Answers the step and, when it changed something (201 or 200, not replayed), first appends it to the audit trail
     * (what it changed, on which payment, and the new status) and, for a dispute step ({@code event}: it wrote a payment
     * event), wakes the merchant's feed readers.
     */
    private void audited(RoutingContext ctx, Future<Reply> step, String action, boolean event) {
        String actor = AdminActor.of(ctx);
        step.compose(r -> {
                    if (event) DisputesHandler.signal(feed, r);
                    if (r.replayed() || (r.status() != 200 && r.status() != 201)) return Future.succeededFuture(r);
                    JsonObject changed = new JsonObject(r.body());
                    String detail = changed.getString("id") + " on payment " + changed.getString("paymentId") + ": "
                            + changed.getString("status")
                            + (changed.getString("complaintId") == null
                                    ? ""
                                    : " (complaint " + changed.getString("complaintId") + ")");
                    return audit.append(actor, action, detail).transform(ar -> {
                        if (ar.failed()) LOG.warning("admin: could not audit " + action + ": " + ar.cause());
                        return Future.succeededFuture(r);
                    });
                })
                .onSuccess(r -> Responses.send(ctx, r))
                .onFailure(e -> {
                    LOG.warning("admin: " + action + " failed: " + e);
                    Responses.send(ctx, GatewayErrors.UNAVAILABLE);
                });
    }
}
