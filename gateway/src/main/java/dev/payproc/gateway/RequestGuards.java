package dev.payproc.gateway;

import dev.payproc.core.model.Reply;
import dev.payproc.gateway.auth.ApiKeyAuthenticator;
import dev.payproc.gateway.codec.FieldNames;
import dev.payproc.gateway.http.Admission;
import dev.payproc.gateway.http.MerchantAuth;
import dev.payproc.gateway.http.Responses;
import dev.payproc.gateway.ops.RouteLabel;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpVersion;
import io.vertx.ext.web.RoutingContext;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/** The checks that run before a route's own handler, and the answer to a request that failed in the router. */
final class RequestGuards {
    private static final Logger LOG = Logger.getLogger(RequestGuards.class.getName());
    private static final int MAX_ECHOED_PATH = 256;

    private final Vertx vertx;
    private final GatewaySettings settings;
    private final Admission admission;
    private final ApiKeyAuthenticator authenticator;
    private final Supplier<RouteLabel> labels; // built once the route table is

    RequestGuards(
            Vertx vertx,
            GatewaySettings settings,
            Admission admission,
            ApiKeyAuthenticator authenticator,
            Supplier<RouteLabel> labels) {
        this.vertx = vertx;
        this.settings = settings;
        this.admission = admission;
        this.authenticator = authenticator;
        this.labels = labels;
    }

    /**
     * A request whose body has not fully arrived within the deadline (a slow or stalled client holding a
     * stream) is answered {@code 408} and its stream reset. Only the body is timed: once a request is in the
     * pipeline its answer waits for the commit, however long that takes.
     */
    void bodyDeadline(RoutingContext ctx) {
        if (!ctx.request().isEnded()) {
            long timer = vertx.setTimer(settings.bodyTimeoutMillis(), id -> {
                if (!ctx.request().isEnded() && !ctx.response().ended()) {
                    Responses.error(ctx, 408, "request_timeout", "the request body did not arrive in time");
                    if (ctx.request().version() != HttpVersion.HTTP_2)
                        ctx.request().connection().close(); // h2: the stream is reset
                }
            });
            ctx.addEndHandler(v -> vertx.cancelTimer(timer));
        }
        ctx.next();
    }

    /**
     * For a write: the key is checked before its body is read, so a stranger cannot make the gateway buffer
     * bodies (up to the batch limit per stream) or hold a stream open with them. Answering while a body still
     * streams ends in a stream reset; for a request with no valid key that is the price, not the caller's answer.
     * A full pipeline skips the check: the request is refused right after its body, before any lookup, as before.
     */
    void authenticateFirst(RoutingContext ctx) {
        if (!hasBearerKey(ctx)) return;
        if (admission.refusalIfFull() != null) { // shed after the body, as always: no key lookup for a full pipeline
            ctx.next();
            return;
        }
        // Held while the key is looked up, so no byte of the body is lost before the body handler reads it.
        ctx.request().pause();
        ctx.addEndHandler(v -> {
            if (!ctx.request().isEnded()) ctx.request().resume(); // answered unread: let the rest drain
        });
        MerchantAuth.resolve(ctx, authenticator, merchant -> {
            ctx.request().resume();
            ctx.next();
        });
    }

    void requireKey(RoutingContext ctx) {
        if (hasBearerKey(ctx)) ctx.next();
    }

    /** Whether the request names a key; answers 401 when it does not. */
    private static boolean hasBearerKey(RoutingContext ctx) {
        if (ApiKeyAuthenticator.bearer(ctx.request().getHeader("Authorization")) != null) return true;
        Responses.error(ctx, 401, "unauthenticated", "an Authorization: Bearer <API key> header is required");
        return false;
    }

    /** A full pipeline refuses a write before its key is looked up, its body decoded or its card tokenized. */
    void shedWhenFull(RoutingContext ctx) {
        Reply refused = admission.refusalIfFull();
        if (refused != null) Responses.send(ctx, refused);
        else ctx.next();
    }

    /** A write's body must be JSON; its key was checked before the body was read ({@link #authenticateFirst}). */
    void requireJson(RoutingContext ctx) {
        String type = ctx.request().getHeader("Content-Type");
        boolean bodiless = ctx.body().length() <= 0 && ctx.request().path().startsWith("/v1/payments/");
        if (bodiless) { // a capture, void or refund of everything needs no body, hence no type
            ctx.next();
            return;
        }
        if (type == null
                || !type.regionMatches(true, 0, "application/json", 0, 16)
                || (type.length() > 16 && type.charAt(16) != ';' && type.charAt(16) != ' ')) {
            Responses.error(
                    ctx, 415, "unsupported_media_type", "the body must be JSON (Content-Type: application/json)");
            return;
        }
        ctx.next();
    }

    void notFound(RoutingContext ctx) {
        Responses.error(
                ctx,
                404,
                "not_found",
                notFoundMessage(ctx.request().method().name(), ctx.request().path()));
    }

    /**
     * The path is echoed decoded (so {@code %20} or {@code %2D} cannot hide the separators of a card number) with
     * card-number-like digits starred; one that cannot be decoded is not echoed.
     */
    static String notFoundMessage(String method, String rawPath) {
        String path;
        try {
            path = URLDecoder.decode(rawPath, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return "no such endpoint: " + method + " (the path is not valid percent-encoding)";
        }
        return "no such endpoint: " + method + " " + FieldNames.safe(path, MAX_ECHOED_PATH);
    }

    void failure(RoutingContext ctx) {
        int status = ctx.statusCode();
        if (status == 413) {
            int limit = ctx.request().path().endsWith("/batch")
                    ? settings.batchBodyLimitBytes()
                    : settings.bodyLimitBytes();
            Responses.error(ctx, 413, "payload_too_large", "the body exceeds the limit of " + limit + " bytes");
        } else if (status == 400) {
            Responses.error(ctx, 400, "invalid_request", "the request could not be read");
        } else {
            LOG.log(
                    Level.SEVERE,
                    "unhandled failure on "
                            + labels.get()
                                    .of(ctx.request().method(), ctx.request().path()),
                    ctx.failure());
            Responses.error(ctx, 500, "internal_error", "the request could not be processed");
        }
    }
}
