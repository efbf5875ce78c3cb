package dev.payproc.gateway.http;

import dev.payproc.core.model.Reply;
import dev.payproc.core.port.AuditTrail;
import dev.payproc.core.port.CardKeyRotation;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.logging.Logger;

/**
 * Card encryption key rotation (admin): {@code GET /admin/cards/keys} counts the stored cards per key id, and
 * {@code POST /admin/cards/re-encrypt} {@code {"pageSize"?: 1-10000, "maxPages"?: 1-1000000}} re-encrypts under
 * the current key every PAN stored under a retired key id, a page of cards per transaction, audited. Neither ever
 * shows a PAN, a ciphertext or a key.
 */
public final class CardKeysHandler {
    private static final Logger LOG = Logger.getLogger(CardKeysHandler.class.getName());
    static final int DEFAULT_PAGE_SIZE = 1_000;
    static final int MAX_PAGE_SIZE = 10_000;
    static final int MAX_PAGES = 1_000_000;

    private final CardKeyRotation rotation;
    private final AuditTrail audit;

    public CardKeysHandler(CardKeyRotation rotation, AuditTrail audit) {
        this.rotation = rotation;
        this.audit = audit;
    }

    /** {@code GET /admin/cards/keys}: the current and retired key ids and the stored cards under each id. */
    public void keys(RoutingContext ctx) {
        rotation.keyUse()
                .onSuccess(use -> Responses.send(
                        ctx,
                        Reply.of(
                                200,
                                new JsonObject()
                                        .put("currentKeyId", use.currentKeyId())
                                        .put(
                                                "retiredKeyIds",
                                                new TreeSet<>(use.retiredKeyIds())
                                                        .stream().toList())
                                        .put("cardsByKeyId", counts(use.cardsByKeyId()))
                                        .put(
                                                "hmac",
                                                new JsonObject()
                                                        .put("epoch", use.hmac().epoch())
                                                        .put(
                                                                "rotationStartedAt",
                                                                use.hmac().rotationStartedAt())
                                                        .put(
                                                                "rotatedAt",
                                                                use.hmac().rotatedAt())
                                                        .put(
                                                                "cardsRewritten",
                                                                use.hmac().cardsRewritten()))
                                        .encode())))
                .onFailure(e -> {
                    LOG.warning("admin: counting cards per key id failed: " + e);
                    Responses.send(ctx, GatewayErrors.UNAVAILABLE);
                });
    }

    /** {@code POST /admin/cards/re-encrypt}: see the class comment; the body may be empty (the defaults). */
    public void reEncrypt(RoutingContext ctx) {
        JsonObject body;
        try {
            body = ctx.body().length() <= 0 ? new JsonObject() : ctx.body().asJsonObject();
        } catch (DecodeException | ClassCastException e) {
            body = null;
        }
        if (body == null) {
            Responses.error(ctx, 400, "invalid_request", "the body must be a JSON object (or empty)");
            return;
        }
        Integer pageSize = bounded(ctx, body, "pageSize", DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE);
        if (pageSize == null) return;
        Integer maxPages = bounded(ctx, body, "maxPages", MAX_PAGES, MAX_PAGES);
        if (maxPages == null) return;
        String actor = AdminActor.of(ctx);
        rotation.reEncrypt(pageSize, maxPages)
                .onSuccess(p -> {
                    JsonObject out = new JsonObject()
                            .put("reEncrypted", p.reEncrypted())
                            .put("remainingByKeyId", counts(p.remainingByKeyId()))
                            .put("morePages", p.morePages());
                    LOG.info("admin: re-encrypted " + p.reEncrypted() + " stored PANs; remaining "
                            + out.getValue("remainingByKeyId"));
                    // Answered once the audit row is written (or failed to be): the PANs are re-encrypted either way.
                    audit.append(actor, "cards.re_encrypted", out.encode())
                            .onFailure(e -> LOG.warning("admin: could not audit a re-encryption: " + e))
                            .onComplete(x -> Responses.send(ctx, Reply.of(200, out.encode())));
                })
                .onFailure(e -> {
                    LOG.warning("admin: re-encryption failed: " + e);
                    long done = e instanceof CardKeyRotation.Interrupted i ? i.reEncrypted() : 0;
                    if (done > 0) {
                        audit.append(
                                        actor,
                                        "cards.re_encrypted",
                                        new JsonObject()
                                                .put("reEncrypted", done)
                                                .put("interrupted", true)
                                                .encode())
                                .onFailure(x -> LOG.warning("admin: could not audit a re-encryption: " + x))
                                .onComplete(x -> Responses.send(ctx, GatewayErrors.UNAVAILABLE));
                        return;
                    }
                    Responses.send(ctx, GatewayErrors.UNAVAILABLE);
                });
    }

    /** The whole number in {@code field}, 1 to {@code max}, or {@code fallback} when absent; null when answered 400. */
    private static Integer bounded(RoutingContext ctx, JsonObject body, String field, int fallback, int max) {
        Object v = body.getValue(field);
        if (v == null) return fallback;
        if ((v instanceof Integer || v instanceof Long)
                && ((Number) v).longValue() >= 1
                && ((Number) v).longValue() <= max) {
            return ((Number) v).intValue();
        }
        Responses.error(ctx, 400, "invalid_request", field + " must be a whole number from 1 to " + max, field);
        return null;
    }

    private static JsonObject counts(Map<String, Long> byKeyId) {
        JsonObject out = new JsonObject();
        new TreeMap<>(byKeyId).forEach(out::put);
        return out;
    }
}
