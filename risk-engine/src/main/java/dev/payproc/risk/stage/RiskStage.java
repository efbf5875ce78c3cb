package dev.payproc.risk.stage;

import dev.payproc.core.metrics.PipelineMetrics;
import dev.payproc.core.model.Decision;
import dev.payproc.core.model.Errors;
import dev.payproc.core.model.Payment;
import dev.payproc.core.model.PaymentIds;
import dev.payproc.core.model.Reason;
import dev.payproc.core.model.Reply;
import dev.payproc.core.model.ReplySink;
import dev.payproc.core.pipeline.AuthorizationCommand;
import dev.payproc.core.pipeline.Command;
import dev.payproc.core.pipeline.DecidedAuthorization;
import dev.payproc.core.pipeline.IdempotencyEntry;
import dev.payproc.core.pipeline.LifecycleCommand;
import dev.payproc.core.pipeline.LifecycleRequest;
import dev.payproc.core.pipeline.SettlementItem;
import dev.payproc.core.stage.BatchHandler;
import dev.payproc.core.stage.HandOff;
import dev.payproc.core.stage.ThreadOwner;
import dev.payproc.risk.ComparisonReport;
import dev.payproc.risk.RiskEngine;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * One shard of the risk stage ({@link RiskShards}), run by one thread: for each admitted command it settles idempotency (a replay is
 * answered from the first request's outcome, a concurrent duplicate waits for it, a different body under
 * the same key is refused), then decides an authorization with the engine, and hands the work to the
 * settlement writer that owns the payment (chosen by payment id, so one payment's operations stay in order).
 */
public final class RiskStage implements BatchHandler<Command> {
    private static final long EVICT_EVERY_NANOS = 1_000_000_000L;

    private final RiskEngine engine;
    private final List<HandOff<SettlementItem>> writers;
    private final IdempotencyTable keys;
    private final PipelineMetrics metrics;
    private final Clock clock;
    private volatile Shadow shadow;
    /** The handler methods and their fields ({@code current}, {@code lastEvictNanos}) are the risk thread's alone. */
    private final ThreadOwner riskThread = new ThreadOwner("a risk stage");

    private IdempotencyEntry current;

    /** A candidate rule set decided beside the live one, with its own history, affecting no answer. */
    private record Shadow(RiskEngine engine, ComparisonReport report) {}

    private long lastEvictNanos;

    public RiskStage(
            RiskEngine engine,
            List<HandOff<SettlementItem>> writers,
            int idempotencyCapacity,
            PipelineMetrics metrics,
            Clock clock) {
        this.engine = engine;
        this.writers = List.copyOf(writers);
        this.keys = new IdempotencyTable(idempotencyCapacity);
        this.metrics = metrics;
        this.clock = clock;
    }

    /** The engine's history may have been rebuilt on another thread before this one started: it is ours now. */
    @Override
    public void onStart() {
        riskThread.bindToCurrentThread();
        engine.bindToCurrentThread();
    }

    @Override
    public void onItem(Command cmd) {
        assert riskThread.isCurrent() : riskThread;
        current = null;
        long startNanos = System.nanoTime();
        metrics.intakeWait.recordNanos(startNanos - cmd.receivedNanos());
        IdempotencyEntry known = keys.get(cmd.merchantId(), cmd.idempotencyKey());
        if (known != null && !known.failedWithoutCommit()) {
            answerDuplicate(known, cmd);
            return;
        }
        IdempotencyEntry entry = new IdempotencyEntry(cmd.requestHash());
        keys.put(cmd.merchantId(), cmd.idempotencyKey(), entry);
        current = entry;
        if (cmd instanceof AuthorizationCommand auth) {
            decide(auth, entry, startNanos);
        } else if (cmd instanceof LifecycleCommand op) {
            route(op.paymentId(), new LifecycleRequest(op, entry, System.nanoTime()));
        }
        current = null;
    }

    private void decide(AuthorizationCommand cmd, IdempotencyEntry entry, long startNanos) {
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        Decision decision = engine.decide(cmd.authorization(), now.toEpochMilli());
        Shadow candidate = shadow;
        if (candidate != null) {
            candidate.report().record(decision, candidate.engine().decide(cmd.authorization(), now.toEpochMilli()));
        }
        String authCode = decision.status().approvesFunds() ? PaymentIds.newAuthCode() : null;
        Payment payment = Payment.decided(
                PaymentIds.newPaymentId(now.toEpochMilli()), cmd.authorization(), decision, authCode, now);
        metrics.countDecision(decision.status());
        for (Reason r : decision.reasons()) metrics.countReason(r.code());

        long decidedNanos = System.nanoTime();
        metrics.risk.recordNanos(decidedNanos - startNanos);
        route(payment.id(), new DecidedAuthorization(cmd, payment, entry, decidedNanos));
    }

    private void route(String paymentId, SettlementItem item) {
        HandOff<SettlementItem> writer = writers.get(Math.floorMod(paymentId.hashCode(), writers.size()));
        if (!writer.offer(item)) {
            // Cannot happen while writer queues are sized to the admission limit; refuse cleanly if it does.
            fail(
                    item.command(),
                    item.idempotency(),
                    Errors.retryLater(503, "overloaded", "the settlement queue is full; nothing was committed", 1));
        }
    }

    private void answerDuplicate(IdempotencyEntry known, Command cmd) {
        ReplySink sink = cmd.sink();
        if (!known.sameRequest(cmd.requestHash())) {
            send(sink, Errors.IDEMPOTENCY_CONFLICT);
        } else if (!known.park(sink)) {
            send(sink, IdempotencyEntry.replayOf(known.outcome()));
        }
    }

    @Override
    public void onItemFailed(Command cmd, Throwable failure) {
        assert riskThread.isCurrent() : riskThread;
        fail(
                cmd,
                current,
                Errors.reply(500, "internal_error", "the request could not be processed; nothing was committed"));
        current = null;
    }

    private static void fail(Command cmd, IdempotencyEntry entry, Reply reply) {
        if (entry != null) entry.complete(reply);
        send(cmd.sink(), reply);
    }

    private static void send(ReplySink sink, Reply reply) {
        sink.executor().execute(() -> sink.send(reply));
    }

    /** Decides beside the live engine with {@code candidate}, recording into {@code report}; null stops. */
    void shadow(RiskEngine candidate, ComparisonReport report) {
        shadow = candidate == null ? null : new Shadow(candidate, report);
    }

    @Override
    public void onBatchEnd() {
        assert riskThread.isCurrent() : riskThread;
        for (HandOff<SettlementItem> w : writers) {
            if (!w.isEmpty()) w.signal();
        }
        evictNowAndThen(System.nanoTime()); // under steady load the stage may never idle
    }

    @Override
    public void onIdle(long nowNanos) {
        assert riskThread.isCurrent() : riskThread;
        evictNowAndThen(nowNanos);
    }

    private void evictNowAndThen(long nowNanos) {
        if (nowNanos - lastEvictNanos >= EVICT_EVERY_NANOS) {
            lastEvictNanos = nowNanos;
            engine.evictIdle(clock.millis());
        }
    }
}
