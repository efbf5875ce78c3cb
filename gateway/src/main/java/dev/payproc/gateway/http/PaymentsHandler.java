package dev.payproc.gateway.http;

import dev.payproc.core.model.Reply;
import dev.payproc.core.port.Disputes;
import dev.payproc.core.port.PaymentReader;
import dev.payproc.gateway.auth.ApiKeyAuthenticator;
import dev.payproc.gateway.codec.PaymentJson;
import io.vertx.core.Future;
import io.vertx.ext.web.RoutingContext;

/** {@code GET /v1/payments/{id}}: a merchant reads its own payments, with their disputes; another merchant's is not found. */
public final class PaymentsHandler {
    private final ApiKeyAuthenticator authenticator;
    private final PaymentReader queries;
    private final Disputes disputes;

    public PaymentsHandler(ApiKeyAuthenticator authenticator, PaymentReader queries, Disputes disputes) {
        this.authenticator = authenticator;
        this.queries = queries;
        this.disputes = disputes;
    }

    public void get(RoutingContext ctx) {
        String id = ctx.pathParam("id");
        MerchantAuth.resolve(
                ctx,
                authenticator,
                merchant -> queries.find(id, merchant)
                        .compose(found -> found == null
                                ? Future.succeededFuture((String) null)
                                : disputes.ofPayment(id).map(d -> PaymentJson.stored(found, d)))
                        .onSuccess(body -> {
                            if (body == null)
                                Responses.error(ctx, 404, "not_found", "no payment with this id for this merchant");
                            else Responses.send(ctx, Reply.of(200, body));
                        })
                        .onFailure(e -> MerchantAuth.unavailable(ctx, "payment lookup", e)));
    }
}
