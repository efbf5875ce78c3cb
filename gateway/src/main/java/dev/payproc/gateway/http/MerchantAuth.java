package dev.payproc.gateway.http;

import dev.payproc.gateway.auth.ApiKeyAuthenticator;
import dev.payproc.gateway.auth.ConnectionFailures;
import io.vertx.ext.web.RoutingContext;
import java.util.function.Consumer;
import java.util.logging.Logger;

/** Who is calling: the merchant behind the request's API key, for every merchant endpoint. */
public final class MerchantAuth {
    private static final Logger LOG = Logger.getLogger(MerchantAuth.class.getName());

    private MerchantAuth() {}

    /** Where a request's merchant is kept once its key was checked (before its body was read, or by its handler). */
    private static final String MERCHANT = "payproc.merchant";

    /**
     * Calls {@code next} with the key's merchant; answers 401 for an unknown key, 429 when the caller's address
     * failed too often, and 503 when the lookup fails. A request whose key was checked already is not asked again.
     * A 401 or 429 counts against the request's connection too, which is closed at its {@link
     * ConnectionFailures#LIMIT}th.
     */
    public static void resolve(RoutingContext ctx, ApiKeyAuthenticator authenticator, Consumer<String> next) {
        String known = ctx.get(MERCHANT);
        if (known != null) {
            next.accept(known);
            return;
        }
        authenticator
                .check(ApiKeyAuthenticator.bearer(ctx.request().getHeader("Authorization")), address(ctx))
                .onComplete(ar -> {
                    if (ar.failed()) {
                        LOG.warning("API key lookup failed: " + ar.cause());
                        Responses.send(ctx, GatewayErrors.UNAVAILABLE);
                    } else if (ar.result().throttled()) {
                        Responses.send(
                                ctx,
                                GatewayErrors.tooManyFailedAuthentications(
                                        ar.result().retryAfterSeconds()));
                        ConnectionFailures.failed(ctx.request().connection());
                    } else if (ar.result().merchantId() == null) {
                        Responses.error(ctx, 401, "unauthenticated", "the API key is not valid");
                        ConnectionFailures.failed(ctx.request().connection());
                    } else {
                        ctx.put(MERCHANT, ar.result().merchantId());
                        next.accept(ar.result().merchantId());
                    }
                });
    }

    /** The caller's address, which failed authentications are counted against. */
    static String address(RoutingContext ctx) {
        return ctx.request().remoteAddress() == null
                ? ""
                : ctx.request().remoteAddress().hostAddress();
    }

    /** As {@link #resolve}, for a path that names a merchant: the key must be that merchant's (else 403). */
    static void owner(RoutingContext ctx, ApiKeyAuthenticator authenticator, String merchantId, Runnable next) {
        resolve(ctx, authenticator, keyMerchant -> {
            if (keyMerchant.equals(merchantId)) next.run();
            else Responses.error(ctx, 403, "forbidden", "the API key does not belong to this merchant", "merchantId");
        });
    }

    /** The answer when a read behind an endpoint fails: the database is unavailable. */
    static void unavailable(RoutingContext ctx, String what, Throwable cause) {
        LOG.warning(what + " failed: " + cause);
        Responses.send(ctx, GatewayErrors.UNAVAILABLE);
    }
}
