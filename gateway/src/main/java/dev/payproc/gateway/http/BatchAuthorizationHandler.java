package dev.payproc.gateway.http;

import dev.payproc.core.model.Authorization;
import dev.payproc.core.model.CardOnFile;
import dev.payproc.core.model.Errors;
import dev.payproc.core.model.Reply;
import dev.payproc.core.pipeline.AuthorizationCommand;
import dev.payproc.core.port.CardFiles;
import dev.payproc.gateway.auth.ApiKeyAuthenticator;
import dev.payproc.gateway.auth.RateLimits;
import dev.payproc.gateway.codec.AuthorizationDecoder;
import dev.payproc.gateway.codec.AuthorizationRequest;
import dev.payproc.gateway.codec.BatchDecoder;
import dev.payproc.gateway.codec.Decoded;
import dev.payproc.gateway.codec.RequestHash;
import io.vertx.core.Future;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code POST /v1/authorizations/batch}: up to 1000 authorizations in one request, each idempotent under
 * its own key and answered in its own slot, in order. Every item goes through the same pipeline as a
 * single request (one admission slot each), and the risk stage is woken once for the whole batch.
 */
public final class BatchAuthorizationHandler {
    private final ApiKeyAuthenticator authenticator;
    private final PanCards pans;
    private final CardFiles vault;
    private final CommandIntake intake;
    private final RateLimits rateLimits;
    private final Clock clock;

    public BatchAuthorizationHandler(
            ApiKeyAuthenticator authenticator,
            PanCards pans,
            CardFiles vault,
            CommandIntake intake,
            RateLimits rateLimits,
            Clock clock) {
        this.authenticator = authenticator;
        this.pans = pans;
        this.vault = vault;
        this.intake = intake;
        this.rateLimits = rateLimits;
        this.clock = clock;
    }

    public void handle(RoutingContext ctx) {
        long received = System.nanoTime();
        MerchantAuth.resolve(ctx, authenticator, merchant -> authenticated(ctx, merchant, received));
    }

    private void authenticated(RoutingContext ctx, String merchantId, long received) {
        YearMonth month = YearMonth.now(clock.withZone(ZoneOffset.UTC));
        Decoded<List<BatchDecoder.Item>> decoded =
                BatchDecoder.decode(ctx.body().buffer().getBytes(), month);
        if (!RequestBodies.valid(ctx, decoded)) return;
        List<BatchDecoder.Item> items = decoded.value();
        if (!rateLimits.merchantAllows(merchantId, items.size())) { // a batch spends one permit per item
            Responses.send(ctx, GatewayErrors.RATE_LIMITED_MERCHANT);
            return;
        }
        BatchReplies replies = new BatchReplies(ctx, items);
        List<Future<CardOnFile>> cards = new ArrayList<>(items.size());
        for (int i = 0; i < items.size(); i++) {
            Decoded<AuthorizationRequest> item = items.get(i).request();
            if (!item.isValid()) {
                replies.fill(
                        i,
                        Reply.of(
                                400,
                                Errors.body(
                                        "invalid_request",
                                        item.invalid().message(),
                                        item.invalid().field())));
                cards.add(null);
            } else if (!item.value().merchantId().equals(merchantId)) {
                replies.fill(
                        i,
                        Reply.of(
                                403,
                                Errors.body(
                                        "forbidden",
                                        "the API key does not belong to this merchant",
                                        "items[" + i + "].merchantId")));
                cards.add(null);
            } else if (!rateLimits.terminalAllows(merchantId, item.value().terminalId())) {
                replies.fill(i, GatewayErrors.RATE_LIMITED_TERMINAL);
                cards.add(null);
            } else if (item.value().pan() != null) {
                AuthorizationRequest r = item.value();
                CardOnFile tokenized = pans.tokenize(r.pan(), r.expiry(), r.merchantId());
                Future<CardOnFile> aliased = pans.resolve(tokenized, r.merchantId());
                cards.add(aliased != null ? aliased : Future.succeededFuture(tokenized));
            } else {
                cards.add(vault.find(item.value().token(), merchantId));
            }
        }
        Future.join(cards.stream().filter(f -> f != null).toList()).onComplete(done -> {
            for (int i = 0; i < items.size(); i++) {
                if (cards.get(i) != null) admit(i, items.get(i), cards.get(i), month, replies, received);
            }
            intake.signal();
            replies.sealed();
        });
    }

    private void admit(
            int i,
            BatchDecoder.Item item,
            Future<CardOnFile> card,
            YearMonth month,
            BatchReplies replies,
            long received) {
        AuthorizationRequest req = item.request().value();
        if (card.failed()) {
            replies.fill(i, GatewayErrors.UNAVAILABLE);
            return;
        }
        if (card.result() == null) {
            replies.fill(
                    i,
                    Reply.of(400, Errors.body("invalid_request", "unknown card token", "items[" + i + "].card.token")));
            return;
        }
        if (AuthorizationDecoder.hasExpired(
                card.result().expiry(), month)) { // the stored card's, as in AuthorizationHandler
            replies.fill(
                    i,
                    Reply.of(
                            400,
                            Errors.body(
                                    "invalid_request", AuthorizationDecoder.EXPIRED, "items[" + i + "].card.expiry")));
            return;
        }
        Authorization auth = new Authorization(
                req.merchantId(),
                req.terminalId(),
                req.amount(),
                req.currency(),
                card.result(),
                req.entryMode(),
                req.mcc(),
                req.merchantCountry(),
                req.cardholderVerification(),
                req.capture());
        byte[] hash = RequestHash.of(auth, req.token() != null);
        Reply refused = intake.offer(
                auth.merchantId(),
                sink -> new AuthorizationCommand(auth, item.idempotencyKey(), hash, received, sink),
                reply -> replies.fill(i, reply));
        if (refused != null) replies.fill(i, refused);
    }
}
