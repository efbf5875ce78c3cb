package dev.payproc.gateway.http;

import dev.payproc.gateway.auth.ApiKeyAuthenticator;
import io.vertx.ext.web.RoutingContext;

import java.util.function.Consumer;
import java.util.logging.Logger;

/** Who is calling: the merchant behind the request's API key, for every merchant endpoint. */
final class MerchantAuth {
    private static final Logger LOG = Logger.getLogger(MerchantAuth.class.getName());

    private MerchantAuth() {}

    /** Calls {@code next} with the key's merchant; answers 401 for an unknown key and 503 when the lookup fails. */
    static void resolve(RoutingContext ctx, ApiKeyAuthenticator authenticator, Consumer<String> next) {
        authenticator.merchantFor(ApiKeyAuthenticator.bearer(ctx.request().getHeader("Authorization"))).onComplete(ar -> {
            if (ar.failed()) {
                LOG.warning("API key lookup failed: " + ar.cause());
                Responses.send(ctx, GatewayErrors.UNAVAILABLE);
            } else if (ar.result() == null) {
                Responses.error(ctx, 401, "unauthenticated", "the API key is not valid");
            } else {
                next.accept(ar.result());
            }
        });
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
