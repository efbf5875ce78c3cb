package dev.payproc.gateway.http;

import dev.payproc.core.model.Errors;
import dev.payproc.core.model.Reply;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;

/** Writes answers: JSON bodies, the contract's error shape, and the replay and retry headers. */
public final class Responses {
    private Responses() {}

    /** Writes {@code reply} unless the client has gone (a reset stream is not an error on our side). */
    public static void send(RoutingContext ctx, Reply reply) {
        HttpServerResponse res = ctx.response();
        if (res.ended() || res.closed()) return;
        res.setStatusCode(reply.status()).putHeader("content-type", "application/json");
        if (reply.replayed()) res.putHeader("Idempotent-Replayed", "true");
        if (reply.retryAfterSeconds() > 0) res.putHeader("Retry-After", Integer.toString(reply.retryAfterSeconds()));
        res.end(reply.body());
    }

    public static void error(RoutingContext ctx, int status, String error, String message, String field) {
        send(ctx, Reply.of(status, Errors.body(error, message, field)));
    }

    public static void error(RoutingContext ctx, int status, String error, String message) {
        error(ctx, status, error, message, null);
    }
}
