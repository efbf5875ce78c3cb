package dev.payproc.gateway.http;

import dev.payproc.core.model.Reply;
import dev.payproc.core.port.AuditTrail;
import dev.payproc.core.port.SealTrail;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.List;

/**
 * The tamper-evident trails: {@code GET /admin/audit} (the newest admin changes), {@code GET /admin/audit/anchors}
 * (the head of every chain, the admin chain's as {@code admin:SEQ:HASH}, to keep outside the database) and
 * {@code GET /admin/audit/verify} (both trails, and the anchors given).
 */
public final class AuditHandler {
    private final AuditTrail audit;
    private final SealTrail seals;

    public AuditHandler(AuditTrail audit, SealTrail seals) {
        this.audit = audit;
        this.seals = seals;
    }

    public void recentAudit(RoutingContext ctx) {
        int limit;
        try {
            limit = Math.max(
                    1,
                    Math.min(
                            1000,
                            Integer.parseInt(
                                    ctx.queryParams().get("limit") == null
                                            ? "100"
                                            : ctx.queryParams().get("limit"))));
        } catch (NumberFormatException e) {
            Responses.error(ctx, 400, "invalid_request", "limit must be a number", "limit");
            return;
        }
        audit.recent(limit)
                .onSuccess(entries -> {
                    JsonArray out = new JsonArray();
                    for (AuditTrail.Entry e : entries) {
                        out.add(new JsonObject()
                                .put("seq", e.seq())
                                .put("at", e.at().toString())
                                .put("actor", e.actor())
                                .put("action", e.action())
                                .put("detail", e.detail()));
                    }
                    Responses.send(
                            ctx,
                            Reply.of(200, new JsonObject().put("entries", out).encode()));
                })
                .onFailure(e -> Responses.send(ctx, GatewayErrors.UNAVAILABLE));
    }

    /**
     * GET /admin/audit/anchors: the newest seal of every chain, then the admin chain's newest row (while it has one),
     * to keep outside the database.
     */
    public void anchors(RoutingContext ctx) {
        seals.anchors()
                .compose(list -> audit.anchor().map(admin -> {
                    JsonArray out = new JsonArray();
                    for (SealTrail.Anchor a : list) out.add(a.chain() + ":" + a.seq() + ":" + a.hash());
                    if (admin != null) out.add(admin.chain() + ":" + admin.seq() + ":" + admin.hash());
                    return Reply.of(200, new JsonObject().put("anchors", out).encode());
                }))
                .onSuccess(reply -> Responses.send(ctx, reply))
                .onFailure(e -> Responses.send(ctx, GatewayErrors.UNAVAILABLE));
    }

    /**
     * GET /admin/audit/verify[?anchor=CHAIN:SEQ:HASH...]: the admin chain, the payment-event seals and, for each
     * anchor given (from an earlier GET /admin/audit/anchors), that its seal, or for chain {@code admin} its row, still
     * exists with that hash.
     */
    public void verifyAudit(RoutingContext ctx) {
        List<SealTrail.Anchor> anchors = new ArrayList<>();
        for (String a : ctx.queryParam("anchor")) {
            SealTrail.Anchor anchor = parseAnchor(a);
            if (anchor == null) {
                Responses.error(
                        ctx,
                        400,
                        "invalid_request",
                        "an anchor is CHAIN:SEQ:HASH (hex), as GET /admin/audit/anchors lists it",
                        "anchor");
                return;
            }
            anchors.add(anchor);
        }
        audit.verify()
                .compose(admin -> seals.verify()
                        .compose(events -> verifyAnchors(anchors).map(anchorProblem -> {
                            boolean intact = admin.intact() && events.intact() && anchorProblem == null;
                            return Reply.of(
                                    intact ? 200 : 409,
                                    new JsonObject()
                                            .put("intact", intact)
                                            .put("checked", admin.checked())
                                            .put("brokenAt", admin.brokenAt())
                                            .put("problem", admin.problem())
                                            .put(
                                                    "paymentEvents",
                                                    new JsonObject()
                                                            .put("intact", events.intact())
                                                            .put("seals", events.seals())
                                                            .put("events", events.events())
                                                            .put("problem", events.problem()))
                                            .put(
                                                    "anchors",
                                                    new JsonObject()
                                                            .put("checked", anchors.size())
                                                            .put("problem", anchorProblem))
                                            .encode());
                        })))
                .onSuccess(reply -> Responses.send(ctx, reply))
                .onFailure(e -> Responses.send(ctx, GatewayErrors.UNAVAILABLE));
    }

    /** The first problem of the admin chain's anchors ({@code admin:…}), else of the seal chains' ones; null if none. */
    private Future<String> verifyAnchors(List<SealTrail.Anchor> anchors) {
        List<SealTrail.Anchor> admin = new ArrayList<>(), ofSeals = new ArrayList<>();
        for (SealTrail.Anchor a : anchors) (AuditTrail.CHAIN.equals(a.chain()) ? admin : ofSeals).add(a);
        return audit.verifyAnchors(admin)
                .compose(adminProblem ->
                        adminProblem != null ? Future.succeededFuture(adminProblem) : seals.verifyAnchors(ofSeals));
    }

    private static SealTrail.Anchor parseAnchor(String s) {
        int hashAt = s.lastIndexOf(':');
        int seqAt = hashAt < 0 ? -1 : s.lastIndexOf(':', hashAt - 1);
        if (seqAt <= 0) return null;
        String seq = s.substring(seqAt + 1, hashAt), hash = s.substring(hashAt + 1);
        if (seq.isEmpty() || seq.length() > 18 || !seq.chars().allMatch(Character::isDigit)) return null;
        if (hash.length() != 64 || !hash.chars().allMatch(c -> (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')))
            return null;
        return new SealTrail.Anchor(s.substring(0, seqAt), Long.parseLong(seq), hash);
    }
}
