package dev.payproc.gateway.http;

import dev.payproc.core.model.Currencies;
import dev.payproc.core.model.Errors;
import dev.payproc.core.model.Reply;
import dev.payproc.core.port.Balances;
import dev.payproc.gateway.auth.ApiKeyAuthenticator;
import io.vertx.ext.web.RoutingContext;

/** {@code GET /v1/merchants/{merchantId}/balance}: per currency, computed from the ledger's postings. */
public final class BalanceHandler {
    private final ApiKeyAuthenticator authenticator;
    private final Balances ledger;

    public BalanceHandler(ApiKeyAuthenticator authenticator, Balances ledger) {
        this.authenticator = authenticator;
        this.ledger = ledger;
    }

    public void balance(RoutingContext ctx) {
        String merchantId = ctx.pathParam("merchantId");
        MerchantAuth.owner(
                ctx,
                authenticator,
                merchantId,
                () -> ledger.balances(merchantId)
                        .onSuccess(balances -> {
                            StringBuilder sb = new StringBuilder(128).append("{\"merchantId\":");
                            Errors.quote(sb, merchantId);
                            sb.append(",\"balances\":[");
                            for (int i = 0; i < balances.size(); i++) {
                                Balances.Balance b = balances.get(i);
                                if (i > 0) sb.append(',');
                                sb.append("{\"currency\":\"")
                                        .append(b.currency())
                                        .append("\",\"payable\":")
                                        .append(b.payable())
                                        .append(",\"settled\":")
                                        .append(b.settled());
                                appendExponent(sb, b);
                                sb.append('}');
                            }
                            Responses.send(ctx, Reply.of(200, sb.append("]}").toString()));
                        })
                        .onFailure(e -> MerchantAuth.unavailable(ctx, "balance lookup", e)));
    }

    /**
     * Each amount also with its currency's ISO 4217 exponent, named as in the payment's read: {@code "exponent": 3,
     * "decimal": {"payable": "4.500", "settled": "0.000"}} (issue 18). A currency no longer accepted has none.
     */
    static void appendExponent(StringBuilder sb, Balances.Balance b) {
        int exponent = Currencies.exponent(b.currency());
        if (exponent < 0) return;
        sb.append(",\"exponent\":")
                .append(exponent)
                .append(",\"decimal\":{\"payable\":\"")
                .append(Currencies.decimal(b.payable(), b.currency()))
                .append("\",\"settled\":\"")
                .append(Currencies.decimal(b.settled(), b.currency()))
                .append("\"}");
    }
}
