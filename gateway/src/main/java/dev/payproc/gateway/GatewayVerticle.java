package dev.payproc.gateway;

import dev.payproc.core.model.Reply;
import dev.payproc.gateway.http.AdminHandler;
import dev.payproc.gateway.http.AuditHandler;
import dev.payproc.gateway.http.AuthorizationHandler;
import dev.payproc.gateway.http.BalanceHandler;
import dev.payproc.gateway.http.BatchAuthorizationHandler;
import dev.payproc.gateway.http.CardKeysHandler;
import dev.payproc.gateway.http.CommandIntake;
import dev.payproc.gateway.http.ConfigHandler;
import dev.payproc.gateway.http.DisputeAdminHandler;
import dev.payproc.gateway.http.DisputesHandler;
import dev.payproc.gateway.http.EventsHandler;
import dev.payproc.gateway.http.LifecycleHandler;
import dev.payproc.gateway.http.PanCards;
import dev.payproc.gateway.http.PaymentsHandler;
import dev.payproc.gateway.http.ReplyFlush;
import dev.payproc.gateway.http.Responses;
import dev.payproc.gateway.http.RiskRulesHandler;
import dev.payproc.gateway.http.SettlementHandler;
import dev.payproc.gateway.http.WebhooksHandler;
import dev.payproc.gateway.ops.RouteLabel;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One gateway instance per event loop: the routes, and the HTTP/2 (h2c and, with {@code TLS_PORT}, h2 over TLS)
 * and HTTP/1.1 listeners that serve them. Vert.x spreads the shared listening port over the instances.
 */
public final class GatewayVerticle extends VerticleBase {
    /** A representative approved answer, for the ceiling benchmark. */
    private static final Reply CEILING_ANSWER = Reply.of(
            201,
            "{\"id\":\"pay_01JD3X8Q2W5N6V7B8C9D0E1F2G\",\"status\":\"APPROVED\","
                    + "\"authCode\":\"A1B2C3\",\"riskScore\":0,\"reasons\":[],\"amount\":1250,\"currency\":\"EUR\",\"capturedAmount\":1250,"
                    + "\"refundedAmount\":0,\"card\":{\"token\":\"tok_ug5guJqvAfHqy2KHnzt7TYmU\",\"masked\":\"411111******1111\","
                    + "\"expiry\":\"12/29\"},\"merchantId\":\"m-1001\",\"terminalId\":\"t-77\",\"entryMode\":\"CONTACTLESS\","
                    + "\"capture\":\"AUTO\",\"ruleSetVersion\":1,\"createdAt\":\"2026-11-22T10:15:30.123Z\"}");

    static final int MAX_HEADER_BYTES = 16 * 1024;
    static final int MAX_STREAMS = 256;

    private final GatewayServices services;
    private final List<HttpServer> servers = new ArrayList<>();
    private Http2Drain drain;
    /** The route labels of the responses counted, from the route table once it is built. */
    private RouteLabel labels;

    public GatewayVerticle(GatewayServices services) {
        this.services = services;
    }

    /**
     * The route table: every endpoint with what runs before its handler. A terminal's write has its key checked
     * first, then reads its body (up to the limit) before any other answer, since an HTTP/2 answer sent while the
     * request still streams ends in a stream reset, which some clients let swallow the answer itself; then a full
     * pipeline refuses it before its body is decoded or its card tokenized.
     */
    private void routes(Router r, RequestGuards g, Handlers h) {
        GatewaySettings s = services.settings();
        terminalWrite(r, g, "/v1/authorizations", s.bodyLimitBytes(), h.authorizations()::handle);
        terminalWrite(r, g, "/v1/authorizations/batch", s.batchBodyLimitBytes(), h.batch()::handle);
        r.get("/v1/payments/:id").handler(g::requireKey).handler(h.payments()::get);
        terminalWrite(r, g, "/v1/payments/:id/capture", s.bodyLimitBytes(), h.lifecycle()::capture);
        terminalWrite(r, g, "/v1/payments/:id/void", s.bodyLimitBytes(), h.lifecycle()::voidPayment);
        terminalWrite(r, g, "/v1/payments/:id/refunds", s.bodyLimitBytes(), h.lifecycle()::refund);
        r.get("/v1/merchants/:merchantId/balance").handler(g::requireKey).handler(h.balances()::balance);
        r.get("/v1/merchants/:merchantId/settlements").handler(g::requireKey).handler(h.settlements()::report);
        r.get("/v1/events").handler(g::requireKey).handler(h.events()::events);
        r.get("/v1/webhooks").handler(g::requireKey).handler(h.webhooks()::merchantList);
        terminalWrite(r, g, "/v1/webhooks/:id/replay", s.bodyLimitBytes(), h.webhooks()::merchantReplay);
        r.get("/v1/disputes").handler(g::requireKey).handler(h.disputes()::list);
        r.get("/v1/disputes/:id").handler(g::requireKey).handler(h.disputes()::get);
        terminalWrite(r, g, "/v1/disputes/:id/evidence", s.bodyLimitBytes(), h.disputes()::evidence);
        terminalWrite(r, g, "/v1/disputes/:id/accept", s.bodyLimitBytes(), h.disputes()::accept);
        terminalWrite(r, g, "/v1/payments/:id/complaints", s.bodyLimitBytes(), h.disputes()::complain);
        r.get("/v1/complaints").handler(g::requireKey).handler(h.disputes()::complaints);

        r.get("/metrics").handler(services.ops()::metrics);
        r.get("/health/live").handler(services.ops()::live);
        r.get("/health/ready").handler(services.ops()::ready);
        r.get("/console*").handler(services.consoleAssets()::serve); // the page is public; its data needs the admin key

        r.route("/admin/*").handler(h.admin()::authorize);
        r.get("/admin/console/feed").handler(services.console()::feed);
        r.post("/admin/merchants").handler(body(s.bodyLimitBytes())).handler(h.admin()::createMerchant);
        r.post("/admin/merchants/:merchantId/api-keys/revoke")
                .handler(body(s.bodyLimitBytes()))
                .handler(h.admin()::revokeApiKey);
        r.post("/admin/settlements/run").handler(body(s.bodyLimitBytes())).handler(h.admin()::runSettlement);
        r.get("/admin/reconciliation").handler(h.admin()::reconcile);
        r.get("/admin/risk-rules").handler(h.riskRules()::getRules);
        r.put("/admin/risk-rules").handler(body(s.batchBodyLimitBytes())).handler(h.riskRules()::putRules);
        r.put("/admin/risk-rules/shadow").handler(body(s.batchBodyLimitBytes())).handler(h.riskRules()::startShadow);
        r.get("/admin/risk-rules/shadow").handler(h.riskRules()::shadowReport);
        r.delete("/admin/risk-rules/shadow").handler(h.riskRules()::stopShadow);
        r.post("/admin/risk-rules/backtest")
                .handler(body(s.batchBodyLimitBytes()))
                .handler(h.riskRules()::backtest);
        r.get("/admin/config").handler(h.configs()::getConfig);
        r.put("/admin/config").handler(body(s.bodyLimitBytes())).handler(h.configs()::putConfig);
        r.get("/admin/audit").handler(h.audits()::recentAudit);
        r.get("/admin/audit/verify").handler(h.audits()::verifyAudit);
        r.get("/admin/audit/anchors").handler(h.audits()::anchors);
        r.get("/admin/cards/keys").handler(h.cardKeys()::keys);
        r.post("/admin/cards/re-encrypt").handler(body(s.bodyLimitBytes())).handler(h.cardKeys()::reEncrypt);
        r.post("/admin/webhooks").handler(body(s.bodyLimitBytes())).handler(h.webhooks()::register);
        r.get("/admin/webhooks").handler(h.webhooks()::list);
        r.get("/admin/webhooks/:id").handler(h.webhooks()::get);
        r.delete("/admin/webhooks/:id").handler(h.webhooks()::disable);
        r.get("/admin/webhooks/:id/deliveries").handler(h.webhooks()::deliveries);
        r.post("/admin/webhooks/:id/deliveries/:seq/resend")
                .handler(body(s.bodyLimitBytes()))
                .handler(h.webhooks()::resend);
        r.post("/admin/webhooks/:id/replay").handler(body(s.bodyLimitBytes())).handler(h.webhooks()::replay);
        r.post("/admin/payments/:id/disputes").handler(body(s.bodyLimitBytes())).handler(h.disputeAdmin()::open);
        r.get("/admin/disputes").handler(h.disputeAdmin()::list);
        r.get("/admin/disputes/:id").handler(h.disputeAdmin()::get);
        r.post("/admin/disputes/:id/outcome").handler(body(s.bodyLimitBytes())).handler(h.disputeAdmin()::outcome);
        r.post("/admin/payments/:id/complaints")
                .handler(body(s.bodyLimitBytes()))
                .handler(h.disputeAdmin()::complain);
        r.get("/admin/complaints").handler(h.disputeAdmin()::complaints);
        r.post("/admin/complaints/:id/escalate")
                .handler(body(s.bodyLimitBytes()))
                .handler(h.disputeAdmin()::escalate);
        r.post("/admin/complaints/:id/close").handler(body(s.bodyLimitBytes())).handler(h.disputeAdmin()::close);
    }

    /**
     * A terminal's POST: its key checked (a route of its own: Vert.x runs a body handler before any other on one
     * route), then its body read, a full pipeline's refusal, the JSON check, and the handler.
     */
    private static void terminalWrite(
            Router r, RequestGuards g, String path, int bodyLimitBytes, Handler<RoutingContext> handler) {
        r.post(path).handler(g::authenticateFirst);
        r.post(path)
                .handler(body(bodyLimitBytes))
                .handler(g::shedWhenFull)
                .handler(g::requireJson)
                .handler(handler);
    }

    private static BodyHandler body(int limitBytes) {
        return BodyHandler.create(false).setBodyLimit(limitBytes);
    }

    /** The handlers of one instance, built on its event loop. */
    private record Handlers(
            AuthorizationHandler authorizations,
            BatchAuthorizationHandler batch,
            LifecycleHandler lifecycle,
            PaymentsHandler payments,
            BalanceHandler balances,
            SettlementHandler settlements,
            EventsHandler events,
            AdminHandler admin,
            RiskRulesHandler riskRules,
            ConfigHandler configs,
            AuditHandler audits,
            CardKeysHandler cardKeys,
            WebhooksHandler webhooks,
            DisputesHandler disputes,
            DisputeAdminHandler disputeAdmin) {}

    private Handlers handlers(ReplyFlush replies) {
        GatewayServices x = services;
        CommandIntake intake = new CommandIntake(x.router(), x.admission(), replies);
        PanCards pans = new PanCards(x.tokenizer(), x.aliases());
        return new Handlers(
                new AuthorizationHandler(x.authenticator(), pans, x.vault(), intake, x.rateLimits(), x.clock()),
                new BatchAuthorizationHandler(x.authenticator(), pans, x.vault(), intake, x.rateLimits(), x.clock()),
                new LifecycleHandler(x.authenticator(), intake, x.rateLimits()),
                new PaymentsHandler(x.authenticator(), x.queries(), x.disputes()),
                new BalanceHandler(x.authenticator(), x.ledger()),
                new SettlementHandler(x.authenticator(), x.settlements()),
                new EventsHandler(x.authenticator(), x.feed(), x.feedWaiters()),
                new AdminHandler(
                        x.adminGuard(),
                        x.authenticator(),
                        x.directory(),
                        x.settlements(),
                        x.reconciliation(),
                        x.audit(),
                        x.clock()),
                new RiskRulesHandler(x.riskRules(), x.rules(), x.history(), x.audit()),
                new ConfigHandler(x.tunables(), x.riskRules(), x.audit()),
                new AuditHandler(x.audit(), x.seals()),
                new CardKeysHandler(x.cardKeys(), x.audit()),
                new WebhooksHandler(x.webhooks(), x.authenticator(), x.audit()),
                new DisputesHandler(x.authenticator(), x.disputes(), x.committed()),
                new DisputeAdminHandler(x.disputes(), x.audit(), x.clock(), x.committed()));
    }

    @Override
    public Future<?> start() {
        GatewaySettings config = services.settings();
        ReplyFlush replies = new ReplyFlush(context);
        drain = new Http2Drain(context, replies::install);
        services.eventLoopLag().probe(vertx);

        Router router = Router.router(vertx);
        RequestGuards guards =
                new RequestGuards(vertx, config, services.admission(), services.authenticator(), () -> labels);
        router.route().handler(this::countResponses);
        router.post().handler(guards::bodyDeadline);
        router.put().handler(guards::bodyDeadline);
        if (config.benchCeiling()) {
            // Benchmark mode: the HTTP/2 ceiling of this gateway, with the pipeline switched off. Never for traffic.
            router.post("/v1/authorizations")
                    .handler(body(config.bodyLimitBytes()))
                    .handler(ctx -> Responses.send(ctx, CEILING_ANSWER));
        }
        routes(router, guards, handlers(replies));
        router.route().last().handler(guards::notFound);
        router.route().failureHandler(guards::failure);
        labels = RouteLabel.of(router);

        // Limits against hostile clients: header size (HTTP/1.1 and HTTP/2 header lists), concurrent streams per
        // connection, stream-reset floods (the 2023 "rapid reset" attack: the connection is closed), CONTINUATION
        // floods, idle connections, and (in the guards) bodies that trickle in too slowly.
        HttpServerOptions base = new HttpServerOptions()
                .setHttp2ClearTextEnabled(true)
                .setMaxHeaderSize(MAX_HEADER_BYTES)
                .setIdleTimeout(120)
                .setIdleTimeoutUnit(TimeUnit.SECONDS)
                .setHttp2RstFloodMaxRstFramePerWindow(200)
                .setHttp2RstFloodWindowDuration(30)
                .setHttp2RstFloodWindowDurationTimeUnit(TimeUnit.SECONDS)
                .setHttp2MaxSmallContinuationFrames(16);
        base.getInitialSettings().setMaxConcurrentStreams(MAX_STREAMS).setMaxHeaderListSize(MAX_HEADER_BYTES);
        List<Future<HttpServer>> listening = new ArrayList<>();
        listening.add(listen(
                router, new HttpServerOptions(base).setHost(config.plainHost()).setPort(config.port())));
        if (config.tlsPort() != null) {
            listening.add(listen(
                    router,
                    TlsListener.serverOptions(base, config.tlsKeyCert(), config.tlsClientCaPath())
                            .setPort(config.tlsPort())));
        }
        return Future.all(listening);
    }

    private Future<HttpServer> listen(Router router, HttpServerOptions options) {
        HttpServer server =
                vertx.createHttpServer(options).requestHandler(router).connectionHandler(drain::track);
        servers.add(server);
        return server.listen()
                .recover(e -> Future.failedFuture(new ListenFailure(options.getHost(), options.getPort(), e)));
    }

    private void countResponses(RoutingContext ctx) {
        String route = labels.of(ctx.request().method(), ctx.request().path());
        ctx.addHeadersEndHandler(
                v -> services.metrics().countResponse(route, ctx.response().getStatusCode()));
        ctx.next();
    }

    /** The first half of a graceful shutdown: see {@link Http2Drain#announceShutdown}. */
    public Future<Void> announceShutdown() {
        return drain.announceShutdown();
    }

    /** The second half: see {@link Http2Drain#refuseNewStreams}. */
    public Future<Void> refuseNewStreams() {
        return drain.refuseNewStreams();
    }

    /** Graceful: HTTP/2 GOAWAY, in-flight streams finish (bounded), then the listeners close. */
    public Future<?> shutdown(long timeoutMillis) {
        List<Future<Void>> closing = new ArrayList<>();
        for (HttpServer s : servers) closing.add(s.shutdown(timeoutMillis, TimeUnit.MILLISECONDS));
        return Future.join(closing);
    }
}
