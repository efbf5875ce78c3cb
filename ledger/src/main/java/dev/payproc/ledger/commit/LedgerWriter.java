package dev.payproc.ledger.commit;

import dev.payproc.core.audit.AuditKey;
import dev.payproc.core.metrics.PipelineMetrics;
import dev.payproc.core.model.Errors;
import dev.payproc.core.model.FeeSchedule;
import dev.payproc.core.model.Payment;
import dev.payproc.core.model.Reply;
import dev.payproc.core.model.ReplySink;
import dev.payproc.core.pipeline.DecidedAuthorization;
import dev.payproc.core.pipeline.IdempotencyEntry;
import dev.payproc.core.pipeline.LifecycleRequest;
import dev.payproc.core.pipeline.SettlementItem;
import dev.payproc.core.port.FeedSignal;
import dev.payproc.core.stage.HandOff;
import dev.payproc.ledger.read.PaymentQueries;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.ClosedConnectionException;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.IntSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A settlement writer: a verticle on one event loop that drains its hand-off and commits everything it
 * found in one statement (group commit), then answers each request on its own event loop, one hop per
 * loop per batch. Only one batch is in flight per writer, so while it commits the next batch gathers:
 * batches grow with load and are single items when idle, and no timer adds latency.
 */
public final class LedgerWriter extends VerticleBase {
    private static final Logger LOG = Logger.getLogger(LedgerWriter.class.getName());

    /** The largest batch a writer takes in one statement (its arrays, and PostgreSQL's work per statement, grow with it). */
    public static final int MAX_BATCH_CAP = 10_000;

    private static final Reply INTERNAL_ERROR =
            Errors.reply(500, "internal_error", "the payment could not be recorded; nothing was committed");

    /** A committed key whose answer cannot be given again as it was sent (logged: its payment row was edited). */
    private static final Reply NOT_REPLAYABLE = Errors.reply(
            500,
            "internal_error",
            "this Idempotency-Key's payment was committed, but its answer cannot be replayed; look the payment up");

    /** The database could not be asked whether a commit it may have received took place: only a retry can tell. */
    private static final Reply UNKNOWN_OUTCOME = Errors.retryLater(
            503,
            "unavailable",
            "the database became unavailable while committing; retry with the same Idempotency-Key to get the outcome",
            1);

    /** Lookups of a batch whose commit is in doubt before its keys count as not committed. */
    private static final int IN_DOUBT_LOOKUPS = 3;

    private static final long IN_DOUBT_RETRY_MILLIS = 200;

    private final HandOff<SettlementItem> input;
    private final PgConnectOptions connectOptions;
    private final IntSupplier batchCap; // tunable at run time (PUT /admin/config)
    private final CircuitBreaker breaker;
    private final PaymentRenderer renderer;
    private final PipelineMetrics metrics;
    private final Clock clock;
    private final FeeSchedule fees;
    private final AtomicBoolean idle = new AtomicBoolean(true);
    private final AuditKey auditKey;
    private final FeedSignal feed;
    private Pool pool;
    /** This writer's chain of seals; a new one per start, as no other writer may extend it. */
    private final String sealChain = "writer-" + UUID.randomUUID();
    /**
     * The seq of the next seal of this writer's chain: the chain is its own, so it knows it without asking, and
     * each seal's key is derived for its seq. Consumed only by a statement that reports writing a seal.
     */
    private long nextSeal = 1;
    /** False after a failed statement: it may have committed a seal after all, so the head is read again first. */
    private boolean headKnown = true;

    public LedgerWriter(
            HandOff<SettlementItem> input,
            PgConnectOptions connectOptions,
            IntSupplier batchCap,
            CircuitBreaker breaker,
            PaymentRenderer renderer,
            PipelineMetrics metrics,
            Clock clock,
            FeeSchedule fees,
            AuditKey auditKey,
            FeedSignal feed) {
        this.auditKey = auditKey;
        this.feed = feed;
        this.input = input;
        this.connectOptions = connectOptions;
        this.batchCap = batchCap;
        this.breaker = breaker;
        this.renderer = renderer;
        this.metrics = metrics;
        this.clock = clock;
        this.fees = fees;
    }

    @Override
    public Future<?> start() {
        // One connection of its own, created on this verticle's context, so the batch's I/O and callbacks
        // stay on this event loop.
        pool = PgBuilder.pool()
                .with(new PoolOptions()
                        .setMaxSize(1)
                        .setMaxWaitQueueSize(4)
                        .setConnectionTimeout(2)
                        .setConnectionTimeoutUnit(TimeUnit.SECONDS))
                .connectingTo(connectOptions)
                .using(vertx)
                .build();
        LOG.info("settlement writer for " + input.name() + " runs on "
                + Thread.currentThread().getName());
        input.onSignal(() -> {
            if (idle.get() && idle.compareAndSet(true, false)) context.runOnContext(v -> drain());
        });
        if (!input.isEmpty() && idle.compareAndSet(true, false)) context.runOnContext(v -> drain());
        return Future.succeededFuture();
    }

    @Override
    public Future<?> stop() {
        return pool.close();
    }

    /** Takes what is queued and commits it; called again when that commit ends, until the queue is empty. */
    private void drain() {
        assert Vertx.currentContext() == context
                : "a writer drains on its own event loop, not "
                        + Thread.currentThread().getName();
        while (true) {
            int cap = batchCap.getAsInt();
            List<SettlementItem> batch = new ArrayList<>(Math.min(cap, Math.max(1, input.size())));
            input.drain(batch::add, cap);
            if (batch.isEmpty()) {
                idle.set(true);
                // A producer that offered after our drain but saw idle == false did not schedule us: look again.
                if (input.isEmpty() || !idle.compareAndSet(true, false)) return;
                continue;
            }
            if (!breaker.tryAcquirePermission()) {
                answerAll(batch, unavailable());
                continue;
            }
            long start = System.nanoTime();
            List<DecidedAuthorization> authorizations = new ArrayList<>(batch.size());
            List<LifecycleRequest> operations = new ArrayList<>(0);
            for (SettlementItem item : batch) {
                metrics.settlementWait.recordNanos(start - item.decidedNanos());
                if (item instanceof DecidedAuthorization d) authorizations.add(d);
                else operations.add((LifecycleRequest) item);
            }
            // Authorizations first: an operation in this batch can only name a payment committed earlier.
            Future<Void> committed = authorizations.isEmpty() ? Future.succeededFuture() : commit(authorizations);
            committed
                    .transform(
                            v -> operations.isEmpty() ? Future.<Void>succeededFuture() : commitOperations(operations))
                    .onComplete(done -> drain());
            return;
        }
    }

    /** Captures, voids and refunds: one transaction per batch (see {@link LifecycleBatch}). */
    private Future<Void> commitOperations(List<LifecycleRequest> ops) {
        return commitOperations(ops, false);
    }

    private Future<Void> commitOperations(List<LifecycleRequest> ops, boolean retried) {
        long start = System.nanoTime();
        return nextSeal()
                .compose(seal -> pool.withTransaction(conn -> LifecycleBatch.run(
                                conn, ops, renderer, clock.instant().truncatedTo(ChronoUnit.MILLIS), fees, seal))
                        .onSuccess(result -> {
                            if (result.sealed()) nextSeal = seal.seq() + 1;
                        }))
                .transform(ar -> {
                    long elapsed = System.nanoTime() - start;
                    if (ar.succeeded()) {
                        breaker.onSuccess(elapsed, TimeUnit.NANOSECONDS);
                        metrics.commit.recordNanos(elapsed);
                        metrics.batchSize.recordNanos(ops.size());
                        Map<Executor, List<Runnable>> byLoop = new IdentityHashMap<>();
                        for (LifecycleBatch.Answer a : ar.result().answers())
                            queueReply(byLoop, a.request(), a.reply());
                        dispatch(byLoop);
                        if (ar.result().sealed()) signalFeed(ops);
                        return Future.<Void>succeededFuture();
                    }
                    Throwable cause = ar.cause();
                    headKnown = false;
                    if (sealTaken(cause) && !retried) {
                        LOG.warning(
                                "seal " + nextSeal + " of " + sealChain + " is taken; reading the chain's head again");
                        return commitOperations(ops, true);
                    }
                    boolean refusedByServer = refusedItems(cause) || cause instanceof LifecycleBatch.KeyRace;
                    if (refusedByServer && ops.size() > 1) {
                        breaker.onSuccess(elapsed, TimeUnit.NANOSECONDS);
                        LOG.log(
                                Level.WARNING,
                                "operation batch of " + ops.size() + " rolled back; retrying singly: "
                                        + cause.getMessage());
                        Future<Void> chain = Future.succeededFuture();
                        for (LifecycleRequest op : ops) chain = chain.compose(v -> commitOperations(List.of(op)));
                        return chain;
                    }
                    if (cause instanceof ClosedConnectionException) return inDoubt(ops, cause, elapsed);
                    return failed(ops, cause, elapsed);
                });
    }

    private Future<Void> commit(List<DecidedAuthorization> drained) {
        long start = System.nanoTime();
        List<DecidedAuthorization> batch = new ArrayList<>(drained.size());
        List<String> bodies = new ArrayList<>(drained.size());
        for (DecidedAuthorization d : drained) {
            try {
                DecidedAuthorization priced = priced(d);
                bodies.add(renderer.authorization(priced.payment()));
                batch.add(priced);
            } catch (RuntimeException e) { // a bug with one item fails that item only
                LOG.log(Level.SEVERE, "could not encode payment " + d.payment().id(), e);
                answerAll(List.of(d), INTERNAL_ERROR);
            }
        }
        if (batch.isEmpty()) return Future.succeededFuture();
        return write(batch, bodies, start, false);
    }

    private Future<Void> write(List<DecidedAuthorization> batch, List<String> bodies, long start, boolean retried) {
        return nextSeal()
                .compose(seal -> pool.preparedQuery(AuthorizationBatchSql.INSERT)
                        .execute(AuthorizationBatchSql.insertParams(seal, batch, bodies))
                        .onSuccess(rows -> {
                            // Fresh payments were written, and with them (only then) the seal.
                            if (rows.rowCount() > 0) nextSeal = seal.seq() + 1;
                        }))
                .transform(ar -> {
                    long elapsed = System.nanoTime() - start;
                    if (ar.succeeded()) {
                        breaker.onSuccess(elapsed, TimeUnit.NANOSECONDS);
                        metrics.commit.recordNanos(elapsed);
                        metrics.batchSize.recordNanos(batch.size());
                        return committed(batch, bodies, ar.result());
                    }
                    headKnown = false;
                    if (sealTaken(ar.cause()) && !retried) {
                        LOG.warning(
                                "seal " + nextSeal + " of " + sealChain + " is taken; reading the chain's head again");
                        return write(batch, bodies, System.nanoTime(), true);
                    }
                    if (refusedItems(ar.cause()) && batch.size() > 1) {
                        // The server refused the statement (nothing committed). Commit the items one by one so
                        // that a single bad item cannot fail its neighbours.
                        breaker.onSuccess(elapsed, TimeUnit.NANOSECONDS);
                        LOG.log(
                                Level.WARNING,
                                "batch of " + batch.size() + " refused by the database; retrying items singly: "
                                        + ar.cause().getMessage());
                        Future<Void> chain = Future.succeededFuture();
                        for (DecidedAuthorization d : batch) chain = chain.compose(v -> commit(List.of(d)));
                        return chain;
                    }
                    if (ar.cause() instanceof ClosedConnectionException) return inDoubt(batch, ar.cause(), elapsed);
                    return failed(batch, ar.cause(), elapsed);
                });
    }

    private Future<Void> committed(List<DecidedAuthorization> batch, List<String> bodies, RowSet<Row> inserted) {
        Set<String> fresh = new HashSet<>(inserted.rowCount() * 2);
        for (Row r : inserted) fresh.add(r.getString(0));
        Map<Executor, List<Runnable>> byLoop = new IdentityHashMap<>();
        List<DecidedAuthorization> known = new ArrayList<>(0);
        for (int i = 0; i < batch.size(); i++) {
            DecidedAuthorization d = batch.get(i);
            if (fresh.contains(d.payment().id())) {
                queueReply(byLoop, d, Reply.of(201, bodies.get(i)));
            } else {
                known.add(d);
            }
        }
        dispatch(byLoop);
        if (!fresh.isEmpty()) signalFeed(batch);
        return known.isEmpty() ? Future.succeededFuture() : answerFromStore(known, 1);
    }

    /** The feed's waiting readers of this process hear of each merchant of a committed batch (once per batch). */
    private void signalFeed(List<? extends SettlementItem> batch) {
        String last = null;
        for (SettlementItem item : batch) {
            String merchant = item.command().merchantId();
            if (!merchant.equals(last)) feed.committed(merchant);
            last = merchant;
        }
    }

    /**
     * The seal the next statement writes if it writes one. After a failure the statement may have committed after
     * all (a lost connection, a lost COMMIT answer): the chain's head is read again, so no seq is used twice.
     */
    private Future<SealLink> nextSeal() {
        if (headKnown) return Future.succeededFuture(SealLink.of(auditKey, sealChain, nextSeal));
        return pool.preparedQuery(HEAD).execute(Tuple.of(sealChain)).map(rows -> {
            nextSeal = rows.iterator().next().getLong(0) + 1;
            headKnown = true;
            return SealLink.of(auditKey, sealChain, nextSeal);
        });
    }

    private static final String HEAD = "SELECT coalesce(max(seq), 0) FROM event_seals WHERE chain_id = $1";

    /** The seq given was already taken (by a statement of ours whose outcome we did not hear). */
    static boolean sealTaken(Throwable cause) {
        return cause instanceof PgException pg
                && "23505".equals(pg.getSqlState())
                && "event_seals_pkey".equals(pg.getConstraint());
    }

    /** A sale that captured money carries its fee, so the answer, the payment row and the postings agree. */
    private DecidedAuthorization priced(DecidedAuthorization d) {
        Payment p = d.payment();
        if (p.capturedAmount() == 0 || !fees.charges()) return d;
        long fee = fees.feeFor(p.authorization().merchantId(), p.authorization().currency(), p.capturedAmount());
        return new DecidedAuthorization(d.command(), p.withFee(fee), d.idempotency(), d.decidedNanos());
    }

    /**
     * Lost with the statement or its COMMIT sent: PostgreSQL may have committed the batch. 503 promises that
     * nothing was, so ask the database first (on a new connection) and answer what it holds.
     */
    private Future<Void> inDoubt(List<? extends SettlementItem> batch, Throwable cause, long elapsedNanos) {
        breaker.onError(elapsedNanos, TimeUnit.NANOSECONDS, cause);
        LOG.warning("connection lost while committing " + batch.size() + " requests; looking their keys up: " + cause);
        return answerFromStore(batch, IN_DOUBT_LOOKUPS);
    }

    /**
     * Keys the database may hold: replay the stored answer, refuse a different body, or (not stored) answer 503
     * unavailable, which is true even for an operation refused inside a committed batch: it stored and changed
     * nothing. The lookup is tried {@code tries} times, {@link #IN_DOUBT_RETRY_MILLIS} apart.
     */
    private Future<Void> answerFromStore(List<? extends SettlementItem> known, int tries) {
        return pool.preparedQuery(AuthorizationBatchSql.STORED_ANSWERS)
                .execute(AuthorizationBatchSql.storedAnswerParams(known))
                .transform(ar -> {
                    if (ar.failed() && tries > 1) {
                        return vertx.timer(IN_DOUBT_RETRY_MILLIS).compose(v -> answerFromStore(known, tries - 1));
                    }
                    Map<Executor, List<Runnable>> byLoop = new IdentityHashMap<>();
                    Map<String, Row> stored = new HashMap<>();
                    if (ar.succeeded()) {
                        for (Row r : ar.result()) stored.put(r.getString(0) + '\u0000' + r.getString(1), r);
                    } else {
                        LOG.warning("could not read stored answers for " + known.size() + " known keys: " + ar.cause());
                    }
                    for (SettlementItem d : known) {
                        Row row = stored.get(d.command().merchantId()
                                + '\u0000'
                                + d.command().idempotencyKey());
                        queueReply(byLoop, d, ar.succeeded() ? storedAnswerOrError(d, row) : UNKNOWN_OUTCOME);
                    }
                    dispatch(byLoop);
                    return Future.<Void>succeededFuture();
                });
    }

    /** {@link #storedAnswer}, or a 500 for that item alone if it fails: every item is answered. */
    private Reply storedAnswerOrError(SettlementItem d, Row row) {
        try {
            return storedAnswer(d, row);
        } catch (RuntimeException e) { // e.g. a payment row edited so that it no longer parses
            LOG.log(Level.SEVERE, "could not replay the stored answer of payment " + row.getString("payment_id"), e);
            return NOT_REPLAYABLE;
        }
    }

    private Reply storedAnswer(SettlementItem d, Row row) {
        if (row == null) return unavailable();
        Buffer hash = row.getBuffer("request_hash");
        if (!Arrays.equals(hash.getBytes(), d.command().requestHash())) {
            return Errors.IDEMPOTENCY_CONFLICT;
        }
        String body = row.getString("response_body");
        if (body == null) body = renderedAgain(row);
        if (body == null) return NOT_REPLAYABLE;
        return IdempotencyEntry.replayOf(Reply.of(row.getInteger("response_status"), body));
    }

    /**
     * An authorization's answer rendered again from its payment row as it was authorized, or null (logged) when that
     * is not the answer sent: its digest, sealed with the record, differs (the row was edited) or the row is gone.
     */
    private String renderedAgain(Row row) {
        String paymentId = row.getString("id"); // the payment row's; null when it is gone
        if (paymentId != null) {
            byte[] digest = row.getBuffer("response_digest").getBytes();
            // The current rendering first, then the earlier ones: a payment authorized before a rendering changed
            // was answered in the one of its day, and only the body whose digest was stored is ever sent.
            for (String body : renderer.authorizationRenderings(
                    PaymentQueries.toStored(row).payment())) {
                if (Arrays.equals(RowDigests.answer(body), digest)) return body;
            }
        }
        LOG.severe("the stored answer of payment " + row.getString("payment_id")
                + (paymentId == null
                        ? " cannot be rendered: its payment row is missing"
                        : " does not render to the answer sent (its payment row differs from what was authorized)")
                + "; not replayed, answered 500; GET /admin/audit/verify names the edit");
        return null;
    }

    /** A batch that failed as a whole (or a single item the server refused): answer every item. */
    private Future<Void> failed(List<? extends SettlementItem> batch, Throwable cause, long elapsedNanos) {
        if (refusedItems(cause) || cause instanceof LifecycleBatch.KeyRace) {
            breaker.onSuccess(elapsedNanos, TimeUnit.NANOSECONDS);
            LOG.log(Level.SEVERE, "the database refused a payment's rows: " + cause.getMessage());
            answerAll(batch, INTERNAL_ERROR);
        } else {
            breaker.onError(elapsedNanos, TimeUnit.NANOSECONDS, cause);
            LOG.log(Level.WARNING, "database unavailable, " + batch.size() + " requests answered 503: " + cause);
            answerAll(batch, unavailable());
        }
        return Future.succeededFuture();
    }

    /**
     * Whether the server refused the rows themselves (a constraint, a bad value), as opposed to being
     * unavailable: connection exceptions (SQLSTATE class 08), operator intervention such as a shutdown or a
     * statement timeout (57) and insufficient resources (53) mean "retry later", never "this item is bad".
     */
    static boolean refusedItems(Throwable cause) {
        if (!(cause instanceof PgException pg)) return false;
        String state = pg.getSqlState();
        return state == null || !(state.startsWith("08") || state.startsWith("57") || state.startsWith("53"));
    }

    private static Reply unavailable() {
        return Errors.retryLater(
                503,
                "unavailable",
                "the database is unavailable; nothing was committed (retry with the same Idempotency-Key)",
                1);
    }

    private void answerAll(List<? extends SettlementItem> batch, Reply reply) {
        Map<Executor, List<Runnable>> byLoop = new IdentityHashMap<>();
        for (SettlementItem d : batch) queueReply(byLoop, d, reply);
        dispatch(byLoop);
    }

    private void queueReply(Map<Executor, List<Runnable>> byLoop, SettlementItem d, Reply reply) {
        d.idempotency().complete(reply);
        ReplySink sink = d.command().sink();
        long received = d.command().receivedNanos();
        byLoop.computeIfAbsent(sink.executor(), e -> new ArrayList<>()).add(() -> {
            sink.send(reply);
            metrics.endToEnd.recordNanos(System.nanoTime() - received);
        });
    }

    /** One task per event loop carries all of that loop's answers from this batch. */
    private static void dispatch(Map<Executor, List<Runnable>> byLoop) {
        byLoop.forEach((loop, replies) -> loop.execute(() -> replies.forEach(Runnable::run)));
    }
}
