package dev.payproc.gateway;

import dev.payproc.core.model.Reply;
import dev.payproc.gateway.auth.ApiKeyAuthenticator;
import dev.payproc.gateway.http.AdminHandler;
import dev.payproc.gateway.http.AuditHandler;
import dev.payproc.gateway.http.ConfigHandler;
import dev.payproc.gateway.http.RiskRulesHandler;
import dev.payproc.gateway.http.AuthorizationHandler;
import dev.payproc.gateway.http.BalanceHandler;
import dev.payproc.gateway.http.BatchAuthorizationHandler;
import dev.payproc.gateway.http.CommandIntake;
import dev.payproc.gateway.http.LifecycleHandler;
import dev.payproc.gateway.http.PaymentsHandler;
import dev.payproc.gateway.http.ReplyFlush;
import dev.payproc.gateway.http.SettlementHandler;
import dev.payproc.gateway.http.Responses;
import dev.payproc.gateway.ops.RouteLabel;
import io.netty.handler.codec.http2.Http2ConnectionHandler;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.net.impl.ConnectionBase;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One gateway instance per event loop: the HTTP/2 (h2c and, with {@code TLS_PORT}, h2 over TLS) and
 * HTTP/1.1 listeners and their routes. Vert.x spreads the shared listening port over the instances.
 */
public final class GatewayVerticle extends VerticleBase {
    private static final Logger LOG = Logger.getLogger(GatewayVerticle.class.getName());

    /** A representative approved answer, for the ceiling benchmark. */
    private static final Reply CEILING_ANSWER = Reply.of(201, "{\"id\":\"pay_01JD3X8Q2W5N6V7B8C9D0E1F2G\",\"status\":\"APPROVED\","
            + "\"authCode\":\"A1B2C3\",\"riskScore\":0,\"reasons\":[],\"amount\":1250,\"currency\":\"EUR\",\"capturedAmount\":1250,"
            + "\"refundedAmount\":0,\"card\":{\"token\":\"tok_ug5guJqvAfHqy2KHnzt7TYmU\",\"masked\":\"411111******1111\","
            + "\"expiry\":\"12/29\"},\"merchantId\":\"m-1001\",\"terminalId\":\"t-77\",\"entryMode\":\"CONTACTLESS\","
            + "\"capture\":\"AUTO\",\"ruleSetVersion\":1,\"createdAt\":\"2026-11-22T10:15:30.123Z\"}");

    static final int MAX_HEADER_BYTES = 16 * 1024;
    static final int MAX_STREAMS = 256;

    private final GatewayServices services;
    private final List<HttpServer> servers = new ArrayList<>();
    /** The listeners' open connections; touched only on this verticle's event loop. */
    private final Set<HttpConnection> connections = new HashSet<>();
    private boolean shutdownAnnounced;
    private boolean streamsRefused;
    /** This loop's executor for answers: one flush per connection per task of answers. */
    private ReplyFlush replies;

    public GatewayVerticle(GatewayServices services) {
        this.services = services;
    }

    @Override
    public Future<?> start() {
        GatewaySettings config = services.settings();
        replies = new ReplyFlush(context);
        CommandIntake intake = new CommandIntake(services.router(), services.admission(), replies);
        AuthorizationHandler authorizations = new AuthorizationHandler(services.authenticator(), services.tokenizer(),
                services.vault(), intake, services.rateLimits(), services.clock());
        LifecycleHandler lifecycle = new LifecycleHandler(services.authenticator(), intake, services.rateLimits());
        BatchAuthorizationHandler batch = new BatchAuthorizationHandler(services.authenticator(), services.tokenizer(),
                services.vault(), intake, services.rateLimits(), services.clock());
        PaymentsHandler payments = new PaymentsHandler(services.authenticator(), services.queries());
        BalanceHandler balances = new BalanceHandler(services.authenticator(), services.ledger());
        AdminHandler admin = new AdminHandler(services.adminGuard(), services.directory(), services.settlements(),
                services.reconciliation(), services.audit(), services.clock());
        SettlementHandler settlements = new SettlementHandler(services.authenticator(), services.settlements());
        RiskRulesHandler riskRules = new RiskRulesHandler(services.riskRules(), services.rules(), services.history(),
                services.audit());
        ConfigHandler configs = new ConfigHandler(services.tunables(), services.riskRules(), services.audit());
        AuditHandler audits = new AuditHandler(services.audit(), services.seals());

        services.eventLoopLag().probe(vertx);
        Router router = Router.router(vertx);
        router.route().handler(this::countResponses);
        router.post().handler(this::bodyDeadline);
        router.put().handler(this::bodyDeadline);
        if (config.benchCeiling()) {
            // Benchmark mode: the HTTP/2 ceiling of this gateway, with the pipeline switched off. Never for traffic.
            router.post("/v1/authorizations").handler(BodyHandler.create(false).setBodyLimit(config.bodyLimitBytes()))
                    .handler(ctx -> Responses.send(ctx, CEILING_ANSWER));
        }
        // The body is read (up to the limit) before any answer: an HTTP/2 answer sent while the request is
        // still streaming ends in a stream reset, which some clients let swallow the answer itself.
        router.post("/v1/authorizations").handler(BodyHandler.create(false).setBodyLimit(config.bodyLimitBytes()))
                .handler(this::shedWhenFull)
                .handler(this::requireKeyAndJson)
                .handler(authorizations::handle);
        router.post("/v1/authorizations/batch").handler(BodyHandler.create(false).setBodyLimit(config.batchBodyLimitBytes()))
                .handler(this::shedWhenFull)
                .handler(this::requireKeyAndJson)
                .handler(batch::handle);
        router.get("/v1/payments/:id").handler(this::requireKey).handler(payments::get);
        for (String op : List.of("capture", "void", "refunds")) {
            router.post("/v1/payments/:id/" + op).handler(BodyHandler.create(false).setBodyLimit(config.bodyLimitBytes()))
                    .handler(this::shedWhenFull)
                    .handler(this::requireKeyAndJson)
                    .handler(op.equals("capture") ? lifecycle::capture : op.equals("void") ? lifecycle::voidPayment : lifecycle::refund);
        }
        router.get("/v1/merchants/:merchantId/balance").handler(this::requireKey).handler(balances::balance);
        router.get("/v1/merchants/:merchantId/settlements").handler(this::requireKey).handler(settlements::report);
        router.get("/metrics").handler(services.ops()::metrics);
        router.get("/health/live").handler(services.ops()::live);
        router.get("/health/ready").handler(services.ops()::ready);
        router.get("/console*").handler(services.consoleAssets()::serve); // the page is public; its data needs the admin key
        router.route("/admin/*").handler(admin::authorize);
        router.get("/admin/console/feed").handler(services.console()::feed);
        router.post("/admin/merchants").handler(BodyHandler.create(false).setBodyLimit(config.bodyLimitBytes()))
                .handler(admin::createMerchant);
        router.post("/admin/settlements/run").handler(BodyHandler.create(false).setBodyLimit(config.bodyLimitBytes()))
                .handler(admin::runSettlement);
        router.get("/admin/reconciliation").handler(admin::reconcile);
        router.get("/admin/risk-rules").handler(riskRules::getRules);
        router.put("/admin/risk-rules").handler(BodyHandler.create(false).setBodyLimit(config.batchBodyLimitBytes()))
                .handler(riskRules::putRules);
        router.put("/admin/risk-rules/shadow").handler(BodyHandler.create(false).setBodyLimit(config.batchBodyLimitBytes()))
                .handler(riskRules::startShadow);
        router.get("/admin/risk-rules/shadow").handler(riskRules::shadowReport);
        router.delete("/admin/risk-rules/shadow").handler(riskRules::stopShadow);
        router.post("/admin/risk-rules/backtest").handler(BodyHandler.create(false).setBodyLimit(config.batchBodyLimitBytes()))
                .handler(riskRules::backtest);
        router.get("/admin/config").handler(configs::getConfig);
        router.put("/admin/config").handler(BodyHandler.create(false).setBodyLimit(config.bodyLimitBytes()))
                .handler(configs::putConfig);
        router.get("/admin/audit").handler(audits::recentAudit);
        router.get("/admin/audit/verify").handler(audits::verifyAudit);
        router.get("/admin/audit/anchors").handler(audits::anchors);
        router.route().last().handler(ctx -> Responses.error(ctx, 404, "not_found", "no such endpoint: "
                + ctx.request().method() + " " + ctx.request().path()));
        router.route().failureHandler(this::failure);

        // Limits against hostile clients: header size (HTTP/1.1 and HTTP/2 header lists), concurrent streams per
        // connection, stream-reset floods (the 2023 "rapid reset" attack: the connection is closed), CONTINUATION
        // floods, idle connections, and (below) bodies that trickle in too slowly.
        HttpServerOptions base = new HttpServerOptions()
                .setHttp2ClearTextEnabled(true)
                .setMaxHeaderSize(MAX_HEADER_BYTES)
                .setIdleTimeout(120).setIdleTimeoutUnit(TimeUnit.SECONDS)
                .setHttp2RstFloodMaxRstFramePerWindow(200)
                .setHttp2RstFloodWindowDuration(30).setHttp2RstFloodWindowDurationTimeUnit(TimeUnit.SECONDS)
                .setHttp2MaxSmallContinuationFrames(16);
        base.getInitialSettings().setMaxConcurrentStreams(MAX_STREAMS).setMaxHeaderListSize(MAX_HEADER_BYTES);
        List<Future<HttpServer>> listening = new ArrayList<>();
        HttpServer plain = vertx.createHttpServer(new HttpServerOptions(base).setHost(config.plainHost()).setPort(config.port())).requestHandler(router)
                .connectionHandler(this::track);
        servers.add(plain);
        listening.add(plain.listen());
        if (config.tlsPort() != null) {
            HttpServer tls = vertx.createHttpServer(TlsListener.serverOptions(base, config.tlsKeyCert(), config.tlsClientCaPath()).setPort(config.tlsPort()))
                    .requestHandler(router).connectionHandler(this::track);
            servers.add(tls);
            listening.add(tls.listen());
        }
        return Future.all(listening);
    }

    private void track(HttpConnection conn) {
        replies.install(conn);
        connections.add(conn);
        conn.closeHandler(v -> connections.remove(conn));
        if (streamsRefused) goAway(conn, 0); // accepted after the final GOAWAYs: nothing on it will be served
        else if (shutdownAnnounced) announceShutdown(conn);
    }

    /**
     * The first half of a graceful HTTP/2 shutdown (RFC 9113, 6.8): a GOAWAY whose last stream id is 2^31-1
     * tells each client to open no new stream on its connection, while every stream it has opened or is
     * opening is still served. By the time {@link #refuseNewStreams} sends the final GOAWAY, the clients have
     * stopped writing, so no request is written into a closed socket (a "broken pipe" with no answer) and no
     * TCP reset destroys answers a client has not read yet. Connections opened from now on get it at once.
     */
    public Future<Void> announceShutdown() {
        Promise<Void> announced = Promise.promise();
        context.runOnContext(v -> {
            shutdownAnnounced = true;
            connections.forEach(GatewayVerticle::announceShutdown);
            announced.complete();
        });
        return announced.future();
    }

    private static void announceShutdown(HttpConnection conn) {
        goAway(conn, Integer.MAX_VALUE);
    }

    /**
     * The second half, once the clients have had time to hear the first: on each HTTP/2 connection a GOAWAY naming
     * the last stream the client has opened. Streams it opens after that are not served, and this GOAWAY is how
     * the client knows they were not (RFC 9113, 6.8), so it can retry them anywhere. It must be sent here:
     * Netty's graceful close sends a GOAWAY of its own only if none was sent, so after the first one it would
     * close without ever naming a last stream, and a stream cut by the close would be in doubt.
     */
    public Future<Void> refuseNewStreams() {
        Promise<Void> refused = Promise.promise();
        context.runOnContext(v -> {
            streamsRefused = true;
            for (HttpConnection conn : connections) {
                int last = lastStreamOpened(conn);
                if (last >= 0) goAway(conn, last);
            }
            refused.complete();
        });
        return refused.future();
    }

    /** The highest stream id the client has opened on this HTTP/2 connection (0: none), or -1 for HTTP/1.1. */
    private static int lastStreamOpened(HttpConnection conn) {
        // Vert.x does not expose it; Netty's connection state has it. Read on the connection's own event loop.
        if (conn instanceof ConnectionBase base) {
            Http2ConnectionHandler h2 = base.channel().pipeline().get(Http2ConnectionHandler.class);
            if (h2 != null) return Math.max(0, h2.connection().remote().lastStreamCreated());
        }
        return -1;
    }

    private static void goAway(HttpConnection conn, int lastStreamId) {
        try {
            conn.goAway(0, lastStreamId);
        } catch (UnsupportedOperationException http1) {
            // HTTP/1.1 has no GOAWAY (Vert.x tells only by throwing, once per connection at shutdown): such a
            // connection is closed when the listener shuts down, after its in-flight request is answered.
        }
    }

    /** Graceful: HTTP/2 GOAWAY, in-flight streams finish (bounded), then the listeners close. */
    public Future<?> shutdown(long timeoutMillis) {
        List<Future<Void>> closing = new ArrayList<>();
        for (HttpServer s : servers) closing.add(s.shutdown(timeoutMillis, TimeUnit.MILLISECONDS));
        return Future.join(closing);
    }

    /**
     * A request whose body has not fully arrived within the deadline (a slow or stalled client holding a
     * stream) is answered {@code 408} and its stream reset. Only the body is timed: once a request is in the
     * pipeline its answer waits for the commit, however long that takes.
     */
    private void bodyDeadline(RoutingContext ctx) {
        if (!ctx.request().isEnded()) {
            long timer = vertx.setTimer(services.settings().bodyTimeoutMillis(), id -> {
                if (!ctx.request().isEnded() && !ctx.response().ended()) {
                    Responses.error(ctx, 408, "request_timeout", "the request body did not arrive in time");
                    if (ctx.request().version() != HttpVersion.HTTP_2) ctx.request().connection().close(); // h2: the stream is reset
                }
            });
            ctx.addEndHandler(v -> vertx.cancelTimer(timer));
        }
        ctx.next();
    }

    private void countResponses(RoutingContext ctx) {
        String route = RouteLabel.of(ctx.request().method(), ctx.request().path());
        ctx.addHeadersEndHandler(v -> services.metrics().countResponse(route, ctx.response().getStatusCode()));
        ctx.next();
    }

    private void requireKey(RoutingContext ctx) {
        if (ApiKeyAuthenticator.bearer(ctx.request().getHeader("Authorization")) == null) {
            Responses.error(ctx, 401, "unauthenticated", "an Authorization: Bearer <API key> header is required");
        } else {
            ctx.next();
        }
    }

    /** A full pipeline refuses a write before its key is looked up, its body decoded or its card tokenized. */
    private void shedWhenFull(RoutingContext ctx) {
        Reply refused = services.admission().refusalIfFull();
        if (refused != null) Responses.send(ctx, refused);
        else ctx.next();
    }

    private void requireKeyAndJson(RoutingContext ctx) {
        if (ApiKeyAuthenticator.bearer(ctx.request().getHeader("Authorization")) == null) {
            Responses.error(ctx, 401, "unauthenticated", "an Authorization: Bearer <API key> header is required");
            return;
        }
        String type = ctx.request().getHeader("Content-Type");
        boolean bodiless = ctx.body().length() <= 0 && ctx.request().path().startsWith("/v1/payments/");
        if (bodiless) { // a capture, void or refund of everything needs no body, hence no type
            ctx.next();
            return;
        }
        if (type == null || !type.regionMatches(true, 0, "application/json", 0, 16)
                || (type.length() > 16 && type.charAt(16) != ';' && type.charAt(16) != ' ')) {
            Responses.error(ctx, 415, "unsupported_media_type", "the body must be JSON (Content-Type: application/json)");
            return;
        }
        ctx.next();
    }

    private void failure(RoutingContext ctx) {
        int status = ctx.statusCode();
        if (status == 413) {
            int limit = ctx.request().path().endsWith("/batch") ? services.settings().batchBodyLimitBytes()
                    : services.settings().bodyLimitBytes();
            Responses.error(ctx, 413, "payload_too_large", "the body exceeds the limit of " + limit + " bytes");
        } else if (status == 400) {
            Responses.error(ctx, 400, "invalid_request", "the request could not be read");
        } else {
            LOG.log(Level.SEVERE, "unhandled failure on " + RouteLabel.of(ctx.request().method(), ctx.request().path()), ctx.failure());
            Responses.error(ctx, 500, "internal_error", "the request could not be processed");
        }
    }
}
