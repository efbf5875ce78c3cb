package dev.payproc.gateway.http;

import dev.payproc.core.model.Operation;
import dev.payproc.core.pipeline.LifecycleCommand;
import dev.payproc.gateway.auth.ApiKeyAuthenticator;
import dev.payproc.gateway.auth.RateLimits;
import dev.payproc.gateway.codec.Decoded;
import dev.payproc.gateway.codec.OperationDecoder;
import dev.payproc.gateway.codec.RequestHash;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code POST /v1/payments/{id}/capture | void | refunds}: validated here, then ordered and applied by the
 * settlement writer that owns the payment, under the payment's row lock. Legality is decided there, against
 * the committed state, so {@code 409 invalid_state} is always the truth of the ledger.
 */
public final class LifecycleHandler {
    private final ApiKeyAuthenticator authenticator;
    private final CommandIntake intake;
    private final RateLimits rateLimits;

    public LifecycleHandler(ApiKeyAuthenticator authenticator, CommandIntake intake, RateLimits rateLimits) {
        this.authenticator = authenticator;
        this.intake = intake;
        this.rateLimits = rateLimits;
    }

    public void capture(RoutingContext ctx) {
        handle(ctx, Operation.CAPTURE);
    }

    public void voidPayment(RoutingContext ctx) {
        handle(ctx, Operation.VOID);
    }

    public void refund(RoutingContext ctx) {
        handle(ctx, Operation.REFUND);
    }

    private void handle(RoutingContext ctx, Operation op) {
        long received = System.nanoTime();
        MerchantAuth.resolve(ctx, authenticator, merchant -> submit(ctx, op, merchant, received));
    }

    private void submit(RoutingContext ctx, Operation op, String merchantId, long received) {
        String key = CommandIntake.idempotencyKey(ctx);
        if (key == null) return;
        if (!rateLimits.merchantAllows(merchantId, 1)) {
            Responses.send(ctx, GatewayErrors.RATE_LIMITED_MERCHANT);
            return;
        }
        Decoded<Long> amount = OperationDecoder.amount(
                ctx.body().buffer() == null ? new byte[0] : ctx.body().buffer().getBytes(), op != Operation.VOID);
        if (!amount.isValid()) {
            Responses.error(
                    ctx,
                    400,
                    "invalid_request",
                    amount.invalid().message(),
                    amount.invalid().field());
            return;
        }
        String paymentId = ctx.pathParam("id");
        byte[] hash = RequestHash.of(op, paymentId, amount.value());
        intake.submit(
                ctx,
                merchantId,
                sink -> new LifecycleCommand(op, paymentId, merchantId, amount.value(), key, hash, received, sink));
    }
}
