package dev.payproc.gateway.http;

import dev.payproc.core.card.CardTokenizer;
import dev.payproc.core.model.Authorization;
import dev.payproc.core.model.CardOnFile;
import dev.payproc.core.model.Reply;
import dev.payproc.core.pipeline.AuthorizationCommand;
import dev.payproc.core.stage.HandOff;
import dev.payproc.gateway.auth.ApiKeyAuthenticator;
import dev.payproc.gateway.codec.AuthorizationDecoder;
import dev.payproc.gateway.codec.AuthorizationRequest;
import dev.payproc.gateway.codec.Decoded;
import dev.payproc.gateway.codec.RequestHash;
import dev.payproc.settlement.CardVault;
import io.vertx.core.Future;
import io.vertx.ext.web.RoutingContext;

import java.time.Clock;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.concurrent.Executor;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Pattern;

/**
 * {@code POST /v1/authorizations} at the edge: authenticate, validate, tokenize, admit, and hand the
 * command to the risk stage. The answer comes back through {@link PendingReply} once the payment is
 * committed. Nothing here blocks; the only I/O is a cached key lookup or a token lookup on a cache miss.
 */
public final class AuthorizationHandler {
    private static final Logger LOG = Logger.getLogger(AuthorizationHandler.class.getName());
    private static final Pattern IDEMPOTENCY_KEY = Pattern.compile("[A-Za-z0-9_-]{1,64}");

    private final ApiKeyAuthenticator authenticator;
    private final CardTokenizer tokenizer;
    private final CardVault vault;
    private final HandOff<AuthorizationCommand> intake;
    private final Admission admission;
    private final Executor loop;
    private final Clock clock;

    public AuthorizationHandler(ApiKeyAuthenticator authenticator, CardTokenizer tokenizer, CardVault vault,
                                HandOff<AuthorizationCommand> intake, Admission admission, Executor loop, Clock clock) {
        this.authenticator = authenticator;
        this.tokenizer = tokenizer;
        this.vault = vault;
        this.intake = intake;
        this.admission = admission;
        this.loop = loop;
        this.clock = clock;
    }

    public void handle(RoutingContext ctx) {
        long received = System.nanoTime();
        String apiKey = ApiKeyAuthenticator.bearer(ctx.request().getHeader("Authorization"));
        authenticator.merchantFor(apiKey).onComplete(ar -> {
            if (ar.failed()) {
                LOG.log(Level.WARNING, "API key lookup failed: " + ar.cause());
                Responses.send(ctx, GatewayErrors.UNAVAILABLE);
            } else if (ar.result() == null) {
                Responses.error(ctx, 401, "unauthenticated", "the API key is not valid");
            } else {
                authenticated(ctx, ar.result(), received);
            }
        });
    }

    private void authenticated(RoutingContext ctx, String keyMerchant, long received) {
        String idempotencyKey = ctx.request().getHeader("Idempotency-Key");
        if (idempotencyKey == null) {
            Responses.error(ctx, 400, "invalid_request", "the Idempotency-Key header is required", "Idempotency-Key");
            return;
        }
        if (!IDEMPOTENCY_KEY.matcher(idempotencyKey).matches()) {
            Responses.error(ctx, 400, "invalid_request", "the Idempotency-Key header must be 1-64 characters of [A-Za-z0-9_-]",
                    "Idempotency-Key");
            return;
        }
        Decoded<AuthorizationRequest> decoded = AuthorizationDecoder.decode(ctx.body().buffer().getBytes(),
                YearMonth.now(clock.withZone(ZoneOffset.UTC)));
        if (!decoded.isValid()) {
            Responses.error(ctx, 400, "invalid_request", decoded.invalid().message(), decoded.invalid().field());
            return;
        }
        AuthorizationRequest req = decoded.value();
        if (!req.merchantId().equals(keyMerchant)) {
            Responses.error(ctx, 403, "forbidden", "the API key does not belong to this merchant", "merchantId");
            return;
        }
        if (req.pan() != null) {
            admit(ctx, req, tokenizer.tokenize(req.pan(), req.expiry(), req.merchantId()), idempotencyKey, received);
            return;
        }
        Future<CardOnFile> card = vault.find(req.token(), req.merchantId());
        card.onComplete(ar -> {
            if (ar.failed()) {
                Responses.send(ctx, GatewayErrors.UNAVAILABLE);
            } else if (ar.result() == null) {
                Responses.error(ctx, 400, "invalid_request", "unknown card token", "card.token");
            } else {
                admit(ctx, req, ar.result(), idempotencyKey, received);
            }
        });
    }

    private void admit(RoutingContext ctx, AuthorizationRequest req, CardOnFile card, String idempotencyKey, long received) {
        Reply refused = admission.tryAdmit();
        if (refused != null) {
            Responses.send(ctx, refused);
            return;
        }
        Authorization auth = new Authorization(req.merchantId(), req.terminalId(), req.amount(), req.currency(), card,
                req.entryMode(), req.mcc(), req.merchantCountry(), req.cardholderVerification(), req.capture());
        AuthorizationCommand cmd = new AuthorizationCommand(auth, idempotencyKey, RequestHash.of(auth, req.token() != null),
                received, new PendingReply(ctx, loop, admission.counter()));
        if (!intake.offer(cmd)) {
            admission.counter().decrementAndGet();
            Responses.send(ctx, GatewayErrors.OVERLOADED);
            return;
        }
        intake.signal();
    }
}
