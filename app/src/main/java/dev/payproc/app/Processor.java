package dev.payproc.app;

import dev.payproc.app.cluster.ClusterNode;
import dev.payproc.app.cluster.ClusterRouter;
import dev.payproc.app.cluster.ForwardReceiver;
import dev.payproc.app.jobs.AuditAnchorLog;
import dev.payproc.app.jobs.ExpirySweeper;
import dev.payproc.core.card.CardTokenizer;
import dev.payproc.core.card.Sha256;
import dev.payproc.core.metrics.PipelineMetrics;
import dev.payproc.core.model.EntryMode;
import dev.payproc.core.model.Payment;
import dev.payproc.core.model.StoredPayment;
import dev.payproc.core.pipeline.SettlementItem;
import dev.payproc.core.port.ClusterStatus;
import dev.payproc.core.port.CommandRouter;
import dev.payproc.core.port.FeedSignal;
import dev.payproc.core.port.RuleSetStore;
import dev.payproc.core.stage.HandOff;
import dev.payproc.gateway.GatewayServices;
import dev.payproc.gateway.GatewaySettings;
import dev.payproc.gateway.GatewayVerticle;
import dev.payproc.gateway.ListenFailure;
import dev.payproc.gateway.auth.AdminGuard;
import dev.payproc.gateway.auth.ApiKeyAuthenticator;
import dev.payproc.gateway.auth.RateLimits;
import dev.payproc.gateway.codec.DisputeJson;
import dev.payproc.gateway.codec.FeedJson;
import dev.payproc.gateway.codec.PaymentJson;
import dev.payproc.gateway.http.AdaptiveAdmission;
import dev.payproc.gateway.http.Admission;
import dev.payproc.gateway.http.CommandIntake;
import dev.payproc.gateway.http.EventLoopLag;
import dev.payproc.gateway.http.FeedWaiters;
import dev.payproc.gateway.ops.ConsoleAssets;
import dev.payproc.gateway.ops.ConsoleFeed;
import dev.payproc.gateway.ops.ConsoleHistory;
import dev.payproc.gateway.ops.OpsHandler;
import dev.payproc.gateway.ops.PipelineGauges;
import dev.payproc.gateway.ops.Readiness;
import dev.payproc.gateway.ops.Tunables;
import dev.payproc.ledger.Connections;
import dev.payproc.ledger.admin.CardHmacRotation;
import dev.payproc.ledger.admin.CardReEncryption;
import dev.payproc.ledger.admin.MerchantDirectory;
import dev.payproc.ledger.admin.RiskRuleStore;
import dev.payproc.ledger.audit.AdminAudit;
import dev.payproc.ledger.audit.EventSeals;
import dev.payproc.ledger.audit.LegacySeals;
import dev.payproc.ledger.commit.LedgerWriter;
import dev.payproc.ledger.commit.PaymentRenderer;
import dev.payproc.ledger.dispute.DisputeDesk;
import dev.payproc.ledger.read.CardVault;
import dev.payproc.ledger.read.FeedQueries;
import dev.payproc.ledger.read.LedgerQueries;
import dev.payproc.ledger.read.PaymentHistory;
import dev.payproc.ledger.read.PaymentQueries;
import dev.payproc.ledger.schema.Migrations;
import dev.payproc.ledger.settlement.Reconciliation;
import dev.payproc.ledger.settlement.SettlementReports;
import dev.payproc.risk.HistoricalAttempt;
import dev.payproc.risk.json.RuleSetDocument;
import dev.payproc.risk.stage.RiskShards;
import dev.payproc.risk.stage.RuleSetAdmin;
import dev.payproc.webhooks.WebhookCounters;
import dev.payproc.webhooks.WebhookDispatcher;
import dev.payproc.webhooks.WebhookSecrets;
import dev.payproc.webhooks.WebhookStore;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.pgclient.PgBuilder;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * The one wiring class: it builds every stage and connects them, in the order a request flows.
 * <pre>
 * gateway (event loops) --intake HandOff of the card's shard--> risk shards (one thread each)
 *   --writer HandOffs--> settlement writers (one event loop each, one statement per batch)
 *   --> answer on the request's own event loop
 * </pre>
 */
public final class Processor {
    private static final Logger LOG = Logger.getLogger(Processor.class.getName());
    private static final long LINGER_MILLIS = 500;
    private static final long RULES_POLL_MILLIS = 2_000;
    private static final int READ_POOL_SIZE = 4;
    /** Long polls of GET /v1/events waiting at once (503 beyond), and of one merchant (429 beyond). */
    private static final int MAX_FEED_WAITERS = 1_000;

    private static final int MAX_FEED_WAITERS_PER_MERCHANT = 50;
    private static final ScheduledExecutorService METRICS_ROLL = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "metrics-roll");
        t.setDaemon(true);
        return t;
    });

    private final Vertx vertx;
    private final Vertx webhookVertx;
    private final Pool readPool;
    private final Pool probePool;
    private final RiskShards risk;
    private final Admission admission;
    private final Readiness readiness;
    private final List<GatewayVerticle> gateways;
    private final ScheduledFuture<?> metricsRoll;
    private final FeedWaiters feedWaiters;
    private final ClusterNode node;
    private final ClusterRouter cluster;

    private Processor(
            Vertx vertx,
            Vertx webhookVertx,
            Pool readPool,
            Pool probePool,
            RiskShards risk,
            Admission admission,
            Readiness readiness,
            List<GatewayVerticle> gateways,
            ScheduledFuture<?> metricsRoll,
            FeedWaiters feedWaiters,
            ClusterNode node,
            ClusterRouter cluster) {
        this.vertx = vertx;
        this.webhookVertx = webhookVertx;
        this.readPool = readPool;
        this.probePool = probePool;
        this.risk = risk;
        this.admission = admission;
        this.readiness = readiness;
        this.gateways = gateways;
        this.metricsRoll = metricsRoll;
        this.feedWaiters = feedWaiters;
        this.node = node;
        this.cluster = cluster;
    }

    public static Future<Processor> start(ProcessorConfig config) {
        return start(config, Clock.systemUTC());
    }

    public static Future<Processor> start(ProcessorConfig config, Clock clock) {
        LOG.info("starting " + config);
        if (config.tlsPort() != null && !ProcessorConfig.isLoopback(config.plainHost())) {
            LOG.warning("PLAIN_HOST=" + config.plainHost()
                    + " beside TLS_PORT: the cleartext port is open beyond this host," + " without TLS"
                    + (config.tlsClientCaPath() != null ? " and without client certificates" : ""));
        }
        if (config.benchCeiling())
            LOG.warning("BENCH_CEILING=1: POST /v1/authorizations answers a fixed body; nothing is authorized");
        try {
            // Before migrations and the risk-state rebuild: a start that could never serve ends at once.
            ListenFailure.requireFree(config.plainHost(), config.port());
            if (config.tlsPort() != null) ListenFailure.requireFree(HttpServerOptions.DEFAULT_HOST, config.tlsPort());
        } catch (ListenFailure e) {
            return Future.failedFuture(e);
        }
        VertxOptions vertxOptions = new VertxOptions().setEventLoopPoolSize(config.eventLoops());
        if (config.cluster() == null) return start(config, clock, Vertx.vertx(vertxOptions), null);
        // Cluster mode (CLUSTER_HOSTS): this process's Vert.x is clustered; nothing else changes until wiring.
        // The wiring continues off the clustered Vert.x's event loop, as it does alone (it builds a Vert.x of its own).
        return Future.fromCompletionStage(ClusterNode.join(config.cluster(), vertxOptions)
                .toCompletionStage()
                .thenComposeAsync(n -> start(config, clock, n.vertx(), n).toCompletionStage()));
    }

    private static Future<Processor> start(ProcessorConfig config, Clock clock, Vertx vertx, ClusterNode node) {
        // Every connection names this process and its CARD_HMAC_KEY (a prefix of its check value), so that a rotation
        // of the key can see processes still running on the old one (CardHmacRotation).
        byte[] hmacCheck = config.cardKeys().hmacCheckValue();
        String process =
                java.util.HexFormat.of().formatHex(Sha256.of(UUID.randomUUID().toString()), 0, 4);
        Pool readPool = PgBuilder.pool()
                .with(new PoolOptions()
                        .setMaxSize(READ_POOL_SIZE)
                        .setMaxWaitQueueSize(1024)
                        // Generous: a cold start or a burst of first key lookups may queue for connections a while.
                        .setConnectionTimeout(10)
                        .setConnectionTimeoutUnit(TimeUnit.SECONDS))
                .connectingTo(Connections.options(
                        config.database(),
                        Connections.applicationName("payproc-read", hmacCheck, process),
                        config.statementTimeoutMillis()))
                .using(vertx)
                .build();
        // Readiness pings on a connection of its own: a read pool queueing behind key lookups or reports must not
        // make a healthy processor look unready.
        Pool probePool = PgBuilder.pool()
                .with(new PoolOptions().setMaxSize(1))
                .connectingTo(Connections.options(
                        config.database(),
                        Connections.applicationName("payproc-readiness", hmacCheck, process),
                        config.statementTimeoutMillis()))
                .using(vertx)
                .build();
        // Webhook delivery on a Vert.x of its own (one event loop, its own connections): a slow or dead receiver can
        // never hold a gateway loop or a read connection, however many deliveries wait.
        Vertx webhookVertx = Vertx.vertx(
                new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(1).setInternalBlockingPoolSize(1));
        Pool webhookPool = PgBuilder.pool()
                .with(new PoolOptions().setMaxSize(2))
                .connectingTo(Connections.options(
                        config.database(),
                        Connections.applicationName("payproc-webhooks", hmacCheck, process),
                        config.statementTimeoutMillis()))
                .using(webhookVertx)
                .build();
        WebhookSecrets webhookSecrets = new WebhookSecrets(config.cardKeys());
        WebhookCounters webhookCounters = new WebhookCounters();
        WebhookDispatcher dispatcher = new WebhookDispatcher(
                webhookPool,
                new FeedQueries(webhookPool),
                FeedJson::event,
                webhookSecrets,
                config.webhooks(),
                webhookCounters,
                clock,
                process);
        PipelineMetrics metrics = new PipelineMetrics();
        MerchantDirectory directory = new MerchantDirectory(readPool);

        List<HandOff<SettlementItem>> writerInputs = new ArrayList<>();
        for (int i = 0; i < config.settlementWriters(); i++)
            writerInputs.add(new HandOff<>("settlement-" + i, config.maxInFlight()));
        CircuitBreaker breaker = CircuitBreaker.of(
                "database",
                CircuitBreakerConfig.custom()
                        .slidingWindowSize(20)
                        .minimumNumberOfCalls(5)
                        .failureRateThreshold(50)
                        .waitDurationInOpenState(Duration.ofSeconds(2))
                        .permittedNumberOfCallsInHalfOpenState(2)
                        .build());
        RiskShards risk = new RiskShards(
                config.riskShards(),
                config.risk(),
                config.riskMaxCardsPerMerchant(),
                writerInputs,
                config.maxInFlight(),
                config.idempotencyCapacity(),
                metrics,
                clock);
        Admission admission = new Admission(config.maxInFlight(), config.merchantAdmissionShare());
        // In a cluster an authorization for a card another member owns is forwarded to it; alone, the shards are
        // the router, as they always were.
        ClusterRouter cluster = node == null
                ? null
                : ClusterRouter.following(
                        risk, vertx.eventBus(), node.manager(), config.cluster().forwardTimeoutMillis());
        CommandRouter router = cluster == null ? risk : cluster;
        RateLimits rateLimits = new RateLimits(config.terminalRatePerSecond(), config.merchantRatePerSecond());
        Tunables tunables = new Tunables(
                admission, config.maxInFlight(), config.settlementBatchCap(), LedgerWriter.MAX_BATCH_CAP, rateLimits);
        AdminAudit adminAudit = new AdminAudit(readPool, config.auditKey());
        RiskRuleStore ruleStore = new RiskRuleStore(readPool, adminAudit);
        CardVault vault = new CardVault(readPool);
        CardHmacRotation hmacRotation = new CardHmacRotation(
                readPool,
                new CardTokenizer(config.cardKeys()),
                hmacCheck,
                config.previousHmacCheck(),
                ruleStore,
                adminAudit,
                new RuleSetStore.Stored(config.risk().version(), RuleSetDocument.render(config.risk())));
        Readiness readiness =
                new Readiness(risk::isAlive, () -> probePool.query("SELECT 1").execute());
        ApiKeyAuthenticator authenticator = new ApiKeyAuthenticator(directory::merchantForKey);
        PaymentQueries queries = new PaymentQueries(readPool);
        PipelineGauges gauges = new PipelineGauges(
                risk.intakes(), writerInputs, admission, breaker, readiness, readPool::size, READ_POOL_SIZE);
        OpsHandler ops = new OpsHandler(metrics, gauges, admission, readiness, webhookCounters, cluster);
        ConsoleHistory consoleHistory = new ConsoleHistory(metrics, gauges);
        RuleSetAdmin ruleSets = new RuleSetAdmin(risk);
        DisputeDesk disputeDesk =
                new DisputeDesk(readPool, config.auditKey(), config.fees(), clock, DisputeJson.RENDERER);
        ConsoleFeed consoleFeed = new ConsoleFeed(
                metrics, consoleHistory, gauges, queries, ruleSets, webhookCounters, disputeDesk, cluster);
        EventLoopLag eventLoopLag = new EventLoopLag(metrics.eventLoopLag);
        AdaptiveAdmission adaptiveAdmission =
                new AdaptiveAdmission(admission, eventLoopLag, config.admissionLagTargetMillis());
        GatewaySettings listeners = new GatewaySettings(
                config.port(),
                config.plainHost(),
                config.tlsPort(),
                config.tlsPort() == null ? null : TlsKeys.keyCert(config),
                config.tlsClientCaPath(),
                config.bodyLimitBytes(),
                config.batchBodyLimitBytes(),
                config.bodyTimeoutMillis(),
                config.benchCeiling());
        FeedQueries feed = new FeedQueries(readPool);
        FeedWaiters feedWaiters = new FeedWaiters(vertx, feed, MAX_FEED_WAITERS, MAX_FEED_WAITERS_PER_MERCHANT);
        // A commit wakes this process's long polls and its webhook dispatcher at once.
        FeedSignal feedSignal = merchantId -> {
            feedWaiters.committed(merchantId);
            dispatcher.committed(merchantId);
        };
        GatewayServices services = new GatewayServices(
                listeners,
                router,
                ruleSets,
                admission,
                eventLoopLag,
                authenticator,
                new AdminGuard(config.adminApiKeys()),
                new CardTokenizer(config.cardKeys()),
                vault,
                queries,
                new LedgerQueries(readPool),
                new SettlementReports(readPool),
                new Reconciliation(readPool),
                directory,
                metrics,
                ops,
                clock,
                ruleStore,
                new PaymentHistory(readPool),
                adminAudit,
                new EventSeals(readPool, config.auditKey()),
                tunables,
                rateLimits,
                consoleFeed,
                new ConsoleAssets(),
                new CardReEncryption(readPool, config.cardKeys()),
                vault,
                feed,
                feedWaiters,
                new WebhookStore(readPool, webhookSecrets),
                disputeDesk,
                feedSignal);
        PaymentRenderer renderer = new PaymentRenderer() {
            @Override
            public String authorization(Payment payment) {
                return PaymentJson.authorization(payment);
            }

            @Override
            public List<String> authorizationRenderings(Payment payment) {
                return PaymentJson.authorizationRenderings(payment);
            }

            @Override
            public String payment(StoredPayment payment) {
                return PaymentJson.stored(payment);
            }
        };
        List<GatewayVerticle> gateways = new ArrayList<>();

        Future<?> started = Migrations.apply(readPool)
                .compose(applied -> StartupKeyChecks.verify(
                        readPool, config.cardKeys(), config.previousHmacCheck(), config.auditKey()))
                .compose(v -> LegacySeals.carryForward(readPool, config.auditKey())) // before any writer seals
                .compose(v -> provisionDemo(config, directory))
                .compose(v -> adminAudit.rekeyLegacy()) // before any admin request appends
                // Before the rules are adopted and risk state rebuilt, and before anything serves: a rotation of
                // CARD_HMAC_KEY rewrites the fingerprints both read, and the aliases the gateway resolves.
                .compose(v -> rotateHmacKey(hmacRotation, config.previousHmacCheck() != null))
                .compose(v -> adoptStoredRules(ruleStore, risk))
                .compose(v -> rebuildRiskState(new PaymentHistory(readPool), risk, clock))
                .compose(v -> vault.loadAliases().map(n -> {
                    if (n > 0) LOG.info(n + " card aliases loaded (cards stored before CARD_HMAC_KEY was rotated)");
                    return (Void) null;
                }))
                .compose(v -> {
                    List<Future<String>> deployed = new ArrayList<>();
                    for (HandOff<SettlementItem> in : writerInputs) {
                        deployed.add(vertx.deployVerticle(new LedgerWriter(
                                in,
                                Connections.options(
                                        config.database(),
                                        Connections.applicationName("payproc-writer", hmacCheck, process),
                                        config.statementTimeoutMillis()),
                                tunables::settlementBatchCap,
                                breaker,
                                renderer,
                                metrics,
                                clock,
                                config.fees(),
                                config.auditKey(),
                                feedSignal)));
                    }
                    return Future.all(deployed);
                })
                .compose(v -> {
                    risk.start();
                    return vertx.deployVerticle(
                            () -> {
                                GatewayVerticle g = new GatewayVerticle(services);
                                synchronized (gateways) { // deployment runs on several loops; start-up only
                                    gateways.add(g);
                                }
                                return g;
                            },
                            new DeploymentOptions().setInstances(config.eventLoops()));
                })
                .compose(v -> cluster == null
                        ? Future.<String>succeededFuture()
                        : vertx.deployVerticle(
                                () -> new ForwardReceiver(node.nodeId(), risk, admission, cluster),
                                new DeploymentOptions().setInstances(config.eventLoops())))
                .compose(v -> vertx.deployVerticle(new ExpirySweeper(
                        readPool,
                        loop -> new CommandIntake(risk, admission, loop),
                        config.authExpirySeconds(),
                        config.expirySweepMillis())))
                .compose(v -> config.auditAnchorLogSeconds() == 0
                        ? Future.<String>succeededFuture()
                        : vertx.deployVerticle(
                                new AuditAnchorLog(adminAudit, services.seals(), config.auditAnchorLogSeconds())))
                .compose(v -> webhookVertx.deployVerticle(dispatcher))
                .onSuccess(v -> {
                    // A rule set put through another process reaches this one within the poll period.
                    vertx.setPeriodic(RULES_POLL_MILLIS, id -> adoptStoredRules(ruleStore, risk));
                    adaptiveAdmission.start(vertx);
                    readiness.start(vertx);
                });
        // Not bound to a context: a failed start closes Vert.x, and a future of one of its (closed) event loops could
        // never report the failure, leaving the caller waiting for ever.
        Promise<Processor> result = Promise.promise();
        started.onComplete(ar -> {
            if (ar.succeeded()) {
                LOG.info("processor listening: " + config.listeners());
                // Off the event loops: a roll walks every histogram, which must never delay a request.
                ScheduledFuture<?> roll = METRICS_ROLL.scheduleAtFixedRate(
                        () -> {
                            metrics.roll();
                            if (cluster != null) cluster.roll();
                            consoleHistory.sample();
                        },
                        1,
                        1,
                        TimeUnit.SECONDS);
                result.complete(new Processor(
                        vertx,
                        webhookVertx,
                        readPool,
                        probePool,
                        risk,
                        admission,
                        readiness,
                        gateways,
                        roll,
                        feedWaiters,
                        node,
                        cluster));
                return;
            }
            if (!(ar.cause() instanceof ListenFailure)) LOG.severe("start-up failed: " + ar.cause()); // else one line
            Future.join(webhookVertx.close(), vertx.close())
                    .transform(x -> node == null ? Future.succeededFuture() : node.leave())
                    .onComplete(x -> result.fail(ar.cause()));
        });
        return result.future();
    }

    /**
     * Replays the ledger's authorizations of the longest window in use into the shards before their threads
     * start (thread start publishes the state to them), so a restart does not reset velocity or daily totals.
     */
    private static Future<Void> rebuildRiskState(PaymentHistory history, RiskShards engine, Clock clock) {
        long now = clock.millis();
        long started = System.nanoTime();
        return history.attemptsSince(
                        Instant.ofEpochMilli(now - engine.rebuildHorizonMillis()),
                        a -> engine.replay(
                                new HistoricalAttempt(
                                        a.cardFingerprint(),
                                        a.merchantId(),
                                        a.terminalId(),
                                        a.amount(),
                                        a.currency(),
                                        a.merchantCountry(),
                                        EntryMode.valueOf(a.entryMode()),
                                        HistoricalAttempt.approvedFunds(a.status()),
                                        a.atMillis()),
                                now))
                .map(n -> {
                    LOG.info("risk state rebuilt from " + n + " authorizations of the last "
                            + engine.rebuildHorizonMillis() / 1000 + " s in "
                            + (System.nanoTime() - started) / 1_000_000 + " ms ("
                            + engine.trackedCards() + " cards)");
                    return null;
                });
    }

    /**
     * Runs, resumes or finds complete the rotation of {@code CARD_HMAC_KEY} (CardHmacRotation), logging what it did
     * and how fast; with {@code CARD_PREVIOUS_HMAC_KEY} set after the rotation is complete, warns to remove it.
     */
    private static Future<Void> rotateHmacKey(CardHmacRotation rotation, boolean previousKeyGiven) {
        return rotation.run().map(o -> {
            switch (o.state()) {
                case STARTED, RESUMED ->
                    LOG.info("CARD_HMAC_KEY rotation to generation " + o.epoch() + " "
                            + (o.state() == CardHmacRotation.State.STARTED ? "started and" : "resumed and")
                            + " finished: " + o.rewrittenNow() + " cards rewritten by this process in " + o.millis()
                            + " ms (" + o.cardsPerSecond() + " cards/s), " + o.rewrittenTotal() + " in all; blocklisted"
                            + " card fingerprints: " + o.blocklistTranslated() + " translated, "
                            + o.blocklistUntranslated() + " kept untranslated");
                case COMPLETE, NONE -> {
                    if (previousKeyGiven) {
                        LOG.warning("CARD_PREVIOUS_HMAC_KEY is set, but "
                                + (o.state() == CardHmacRotation.State.COMPLETE
                                        ? "the rotation to this CARD_HMAC_KEY (generation " + o.epoch()
                                                + ") is complete"
                                        : "the stored cards were derived with CARD_HMAC_KEY already")
                                + ": remove the setting");
                    }
                }
            }
            return (Void) null;
        });
    }

    /** Puts the newest stored rule set in force when it is newer than the one in force. */
    private static Future<Void> adoptStoredRules(RiskRuleStore store, RiskShards engine) {
        return store.latest()
                .map(stored -> {
                    if (stored != null && stored.version() > engine.settings().version()) {
                        RuleSetDocument.Result parsed = RuleSetDocument.parse(stored.document());
                        if (parsed instanceof RuleSetDocument.Valid valid) {
                            engine.update(valid.settings());
                            LOG.info("risk rules version " + stored.version() + " from the database are in force");
                        } else {
                            LOG.severe(
                                    "stored risk rules version " + stored.version() + " do not parse; keeping version "
                                            + engine.settings().version());
                        }
                    }
                    return (Void) null;
                })
                .recover(e -> {
                    LOG.fine("could not read stored risk rules: " + e);
                    return Future.succeededFuture();
                });
    }

    private static Future<Void> provisionDemo(ProcessorConfig config, MerchantDirectory directory) {
        if (config.demoMerchantId() == null || config.demoApiKey() == null) return Future.succeededFuture();
        return directory
                .ensureMerchant(config.demoMerchantId(), "Demo merchant " + config.demoMerchantId())
                .compose(created -> directory.addApiKey(config.demoMerchantId(), config.demoApiKey()))
                .onSuccess(
                        v -> LOG.info("demo merchant " + config.demoMerchantId() + " and its API key are provisioned"));
    }

    /**
     * Drains and stops. New requests are refused first ({@code 503}, while the listeners still answer) and every
     * HTTP/2 client is told to open no new streams (a GOAWAY naming no last stream), then every admitted request
     * is answered or {@code timeoutMillis} passes. After a short linger each connection gets the final GOAWAY,
     * naming the last stream its client opened (later ones are refused, and the client can tell), and the
     * listeners close once the streams they serve are answered: closing first would cut streams whose payments
     * are committing. Then the stages and Vert.x stop.
     */
    public Future<Void> stop(long timeoutMillis) {
        admission.startDraining();
        feedWaiters.release(); // long polls answer now: a drain must not wait out their seconds
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        List<Future<?>> announced = new ArrayList<>();
        synchronized (gateways) {
            for (GatewayVerticle g : gateways) announced.add(g.announceShutdown());
        }
        return Future.join(announced)
                .transform(v -> awaitAnswered(deadline))
                // Linger before closing: a client still sending when a connection closes gets a TCP reset, and
                // a reset can destroy answers it has not read yet, committed payments among them.
                .transform(v -> vertx.timer(LINGER_MILLIS))
                .transform(v -> {
                    List<Future<?>> refused = new ArrayList<>();
                    synchronized (gateways) {
                        for (GatewayVerticle g : gateways) refused.add(g.refuseNewStreams());
                    }
                    return Future.join(refused);
                })
                .transform(v -> {
                    List<Future<?>> shutdowns = new ArrayList<>();
                    synchronized (gateways) {
                        for (GatewayVerticle g : gateways) shutdowns.add(g.shutdown(1_000));
                    }
                    return Future.join(shutdowns);
                })
                .transform(v -> awaitAnswered(deadline)) // a request admitted just as draining began
                .transform(v -> {
                    if (admission.inFlight() > 0)
                        LOG.warning(admission.inFlight() + " requests still unanswered at shutdown");
                    readiness.stop(vertx);
                    metricsRoll.cancel(false);
                    try {
                        risk.stop(2_000);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    return Future.join(readPool.close(), probePool.close(), webhookVertx.close());
                })
                .transform(v -> vertx.close())
                .transform(v -> node == null ? Future.<Void>succeededFuture() : node.leave())
                .onComplete(v -> LOG.info("processor stopped"));
    }

    private Future<Void> awaitAnswered(long deadlineNanos) {
        Promise<Void> done = Promise.promise();
        vertx.setPeriodic(10, id -> {
            if (admission.inFlight() == 0 || System.nanoTime() > deadlineNanos) {
                done.tryComplete(); // first: cancelTimer can throw when the first tick runs at once (Vert.x)
                vertx.cancelTimer(id);
            }
        });
        return done.future();
    }

    public boolean ready() {
        return readiness.ready();
    }

    public Vertx vertx() {
        return vertx;
    }

    /** Membership, partitions and forwarding in cluster mode; null in a single process. */
    public ClusterStatus cluster() {
        return cluster;
    }
}
