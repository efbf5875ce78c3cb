package dev.payproc.gateway.http;

import dev.payproc.core.model.Authorization;
import dev.payproc.core.model.CardOnFile;
import dev.payproc.core.pipeline.AuthorizationCommand;
import dev.payproc.core.port.CardFiles;
import dev.payproc.gateway.auth.ApiKeyAuthenticator;
import dev.payproc.gateway.auth.RateLimits;
import dev.payproc.gateway.codec.AuthorizationDecoder;
import dev.payproc.gateway.codec.AuthorizationRequest;
import dev.payproc.gateway.codec.Decoded;
import dev.payproc.gateway.codec.RequestHash;
import io.vertx.core.Future;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.time.YearMonth;
import java.time.ZoneOffset;

/**
 * {@code POST /v1/authorizations} at the edge: authenticate, validate, tokenize, admit, and hand the
 * command to the risk stage. The answer comes back through {@link PendingReply} once the payment is
 * committed. Nothing here blocks; the only I/O is a cached key lookup or a token lookup on a cache miss, and for a
 * PAN whose token may be the alias of a card stored before {@code CARD_HMAC_KEY} was rotated, that card's lookup.
 */
public final class AuthorizationHandler {
    private final ApiKeyAuthenticator authenticator;
    private final PanCards pans;
    private final CardFiles vault;
    private final CommandIntake intake;
    private final RateLimits rateLimits;
    private final Clock clock;

    public AuthorizationHandler(
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

    private void authenticated(RoutingContext ctx, String keyMerchant, long received) {
        String idempotencyKey = CommandIntake.idempotencyKey(ctx);
        if (idempotencyKey == null) return;
        YearMonth month = YearMonth.now(clock.withZone(ZoneOffset.UTC));
        Decoded<AuthorizationRequest> decoded =
                AuthorizationDecoder.decode(ctx.body().buffer().getBytes(), month);
        if (!RequestBodies.valid(ctx, decoded)) return;
        AuthorizationRequest req = decoded.value();
        if (!req.merchantId().equals(keyMerchant)) {
            Responses.error(ctx, 403, "forbidden", "the API key does not belong to this merchant", "merchantId");
            return;
        }
        if (!rateLimits.merchantAllows(req.merchantId(), 1)) {
            Responses.send(ctx, GatewayErrors.RATE_LIMITED_MERCHANT);
            return;
        }
        if (!rateLimits.terminalAllows(req.merchantId(), req.terminalId())) {
            Responses.send(ctx, GatewayErrors.RATE_LIMITED_TERMINAL);
            return;
        }
        if (req.pan() != null) {
            CardOnFile tokenized = pans.tokenize(req.pan(), req.expiry(), req.merchantId());
            Future<CardOnFile> aliased = pans.resolve(tokenized, req.merchantId());
            if (aliased == null) { // no earlier card's alias: no read
                admit(ctx, req, tokenized, idempotencyKey, received);
                return;
            }
            aliased.onComplete(ar -> {
                if (ar.failed()) Responses.send(ctx, GatewayErrors.UNAVAILABLE);
                else admit(ctx, req, ar.result(), idempotencyKey, received);
            });
            return;
        }
        Future<CardOnFile> card = vault.find(req.token(), req.merchantId());
        card.onComplete(ar -> {
            if (ar.failed()) {
                Responses.send(ctx, GatewayErrors.UNAVAILABLE);
            } else if (ar.result() == null) {
                Responses.error(ctx, 400, "invalid_request", "unknown card token", "card.token");
            } else if (AuthorizationDecoder.hasExpired(ar.result().expiry(), month)) {
                // The stored card's expiry, refused as the same expiry sent with its PAN would be.
                Responses.error(ctx, 400, "invalid_request", AuthorizationDecoder.EXPIRED, "card.expiry");
            } else {
                admit(ctx, req, ar.result(), idempotencyKey, received);
            }
        });
    }

    private void admit(
            RoutingContext ctx, AuthorizationRequest req, CardOnFile card, String idempotencyKey, long received) {
        Authorization auth = new Authorization(
                req.merchantId(),
                req.terminalId(),
                req.amount(),
                req.currency(),
                card,
                req.entryMode(),
                req.mcc(),
                req.merchantCountry(),
                req.cardholderVerification(),
                req.capture());
        byte[] hash = RequestHash.of(auth, req.token() != null);
        intake.submit(
                ctx, auth.merchantId(), sink -> new AuthorizationCommand(auth, idempotencyKey, hash, received, sink));
    }
}
