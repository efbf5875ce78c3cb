package dev.payproc.gateway.http;

import dev.payproc.gateway.codec.Decoded;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/** Reads a request's body for a handler, answering {@code 400 invalid_request} itself when it is refused. */
final class RequestBodies {
    private RequestBodies() {}

    /** The body as a JSON object (an empty body is {} where {@code emptyAllowed}); null when refused (answered 400). */
    static JsonObject jsonObject(RoutingContext ctx, boolean emptyAllowed) {
        if (emptyAllowed
                && (ctx.body().buffer() == null
                        || ctx.body().buffer().toString().isBlank())) return new JsonObject();
        try {
            JsonObject body = ctx.body().asJsonObject();
            if (body != null) return body;
        } catch (DecodeException | ClassCastException e) {
            // answered below
        }
        Responses.error(ctx, 400, "invalid_request", "the body must be a JSON object");
        return null;
    }

    /** True when {@code decoded} is a request; otherwise answers 400 naming the field. */
    static boolean valid(RoutingContext ctx, Decoded<?> decoded) {
        if (decoded.isValid()) return true;
        Responses.error(
                ctx,
                400,
                "invalid_request",
                decoded.invalid().message(),
                decoded.invalid().field());
        return false;
    }
}
