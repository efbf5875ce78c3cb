package dev.payproc.gateway.http;

import dev.payproc.core.model.Reply;
import dev.payproc.core.port.PaymentReader;
import dev.payproc.gateway.auth.ApiKeyAuthenticator;
import dev.payproc.gateway.codec.PaymentJson;
import io.vertx.ext.web.RoutingContext;

/** {@code GET /v1/payments/{id}}: a merchant reads its own payments; another merchant's is not found. */
public final class PaymentsHandler {
    private final ApiKeyAuthenticator authenticator;
    private final PaymentReader queries;

    public PaymentsHandler(ApiKeyAuthenticator authenticator, PaymentReader queries) {
        this.authenticator = authenticator;
        this.queries = queries;
    }

    public void get(RoutingContext ctx) {
        String id = ctx.pathParam("id");
        MerchantAuth.resolve(
                ctx,
                authenticator,
                merchant -> queries.find(id, merchant)
                        .onSuccess(found -> {
                            if (found == null)
                                Responses.error(ctx, 404, "not_found", "no payment with this id for this merchant");
                            else Responses.send(ctx, Reply.of(200, PaymentJson.stored(found)));
                        })
                        .onFailure(e -> MerchantAuth.unavailable(ctx, "payment lookup", e)));
    }
}
