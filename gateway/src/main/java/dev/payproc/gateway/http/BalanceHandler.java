package dev.payproc.gateway.http;

import dev.payproc.core.model.Errors;
import dev.payproc.core.model.Reply;
import dev.payproc.gateway.auth.ApiKeyAuthenticator;
import dev.payproc.settlement.LedgerQueries;
import io.vertx.core.Future;
import io.vertx.ext.web.RoutingContext;

import java.util.logging.Logger;

/** {@code GET /v1/merchants/{merchantId}/balance}: per currency, computed from the ledger's postings. */
public final class BalanceHandler {
    private static final Logger LOG = Logger.getLogger(BalanceHandler.class.getName());

    private final ApiKeyAuthenticator authenticator;
    private final LedgerQueries ledger;

    public BalanceHandler(ApiKeyAuthenticator authenticator, LedgerQueries ledger) {
        this.authenticator = authenticator;
        this.ledger = ledger;
    }

    public void balance(RoutingContext ctx) {
        String merchantId = ctx.pathParam("merchantId");
        authenticator.merchantFor(ApiKeyAuthenticator.bearer(ctx.request().getHeader("Authorization")))
                .compose(keyMerchant -> {
                    if (keyMerchant == null) {
                        Responses.error(ctx, 401, "unauthenticated", "the API key is not valid");
                        return Future.succeededFuture();
                    }
                    if (!keyMerchant.equals(merchantId)) {
                        Responses.error(ctx, 403, "forbidden", "the API key does not belong to this merchant", "merchantId");
                        return Future.succeededFuture();
                    }
                    return ledger.balances(merchantId).onSuccess(balances -> {
                        StringBuilder sb = new StringBuilder(128).append("{\"merchantId\":");
                        Errors.quote(sb, merchantId);
                        sb.append(",\"balances\":[");
                        for (int i = 0; i < balances.size(); i++) {
                            LedgerQueries.Balance b = balances.get(i);
                            if (i > 0) sb.append(',');
                            sb.append("{\"currency\":\"").append(b.currency()).append("\",\"payable\":").append(b.payable())
                                    .append(",\"settled\":").append(b.settled()).append('}');
                        }
                        Responses.send(ctx, Reply.of(200, sb.append("]}").toString()));
                    }).mapEmpty();
                })
                .onFailure(e -> {
                    LOG.warning("balance lookup failed: " + e);
                    Responses.send(ctx, GatewayErrors.UNAVAILABLE);
                });
    }
}
