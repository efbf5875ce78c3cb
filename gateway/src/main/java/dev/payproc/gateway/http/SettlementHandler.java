package dev.payproc.gateway.http;

import dev.payproc.core.model.Currencies;
import dev.payproc.core.model.Reply;
import dev.payproc.core.port.Settlements;
import dev.payproc.gateway.auth.ApiKeyAuthenticator;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;

/** {@code GET /v1/merchants/{merchantId}/settlements?date=YYYY-MM-DD}: the merchant's day, from the ledger. */
public final class SettlementHandler {
    private final ApiKeyAuthenticator authenticator;
    private final Settlements reports;

    public SettlementHandler(ApiKeyAuthenticator authenticator, Settlements reports) {
        this.authenticator = authenticator;
        this.reports = reports;
    }

    /** The {@code date} parameter as a day, or null after answering 400. */
    static LocalDate day(RoutingContext ctx, String value) {
        if (value == null) {
            Responses.error(ctx, 400, "invalid_request", "the date is required (YYYY-MM-DD)", "date");
            return null;
        }
        try {
            return LocalDate.parse(value);
        } catch (DateTimeParseException e) {
            Responses.error(ctx, 400, "invalid_request", "the date must be YYYY-MM-DD", "date");
            return null;
        }
    }

    public void report(RoutingContext ctx) {
        String merchantId = ctx.pathParam("merchantId");
        MerchantAuth.owner(ctx, authenticator, merchantId, () -> {
            LocalDate date = day(ctx, ctx.queryParams().get("date"));
            if (date == null) return;
            reports.report(merchantId, date)
                    .onSuccess(r -> Responses.send(ctx, Reply.of(200, render(r))))
                    .onFailure(e -> MerchantAuth.unavailable(ctx, "settlement report", e));
        });
    }

    /** Every amount of the day's totals in the currency's major units (issue 18), named as the minor-unit fields. */
    private static JsonObject decimals(Settlements.CurrencyTotals c) {
        String code = c.currency();
        return new JsonObject()
                .put("captures", Currencies.decimal(c.captureAmount(), code))
                .put("refunds", Currencies.decimal(c.refundAmount(), code))
                .put("fees", Currencies.decimal(c.feeAmount(), code))
                .put("disputes", Currencies.decimal(c.disputeAmount(), code))
                .put("disputesWon", Currencies.decimal(c.disputeWonAmount(), code))
                .put("disputesLost", Currencies.decimal(c.disputeLostAmount(), code))
                .put("net", Currencies.decimal(c.net(), code))
                .put("settledNet", c.settledNet() == null ? null : Currencies.decimal(c.settledNet(), code));
    }

    static String render(Settlements.Report r) {
        JsonArray currencies = new JsonArray();
        for (Settlements.CurrencyTotals c : r.currencies()) {
            currencies.add(new JsonObject()
                    .put("currency", c.currency())
                    .put(
                            "captures",
                            new JsonObject().put("count", c.captureCount()).put("amount", c.captureAmount()))
                    .put(
                            "refunds",
                            new JsonObject().put("count", c.refundCount()).put("amount", c.refundAmount()))
                    .put("fees", c.feeAmount())
                    .put(
                            "disputes",
                            new JsonObject()
                                    .put("count", c.disputeCount())
                                    .put("amount", c.disputeAmount())
                                    .put("wonAmount", c.disputeWonAmount())
                                    .put("lostAmount", c.disputeLostAmount()))
                    .put("net", c.net())
                    .put("exponent", Currencies.exponent(c.currency()))
                    .put("netDecimal", Currencies.decimal(c.net(), c.currency()))
                    .put("decimal", decimals(c))
                    .put("settled", c.settlementId() != null)
                    .put("settlementId", c.settlementId())
                    .put("settledNet", c.settledNet()));
        }
        return new JsonObject()
                .put("merchantId", r.merchantId())
                .put("date", r.date().toString())
                .put("currencies", currencies)
                .put("paymentIds", new JsonArray(r.paymentIds()))
                .encode();
    }
}
