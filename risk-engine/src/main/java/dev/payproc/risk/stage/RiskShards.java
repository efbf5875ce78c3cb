package dev.payproc.risk.stage;

import dev.payproc.core.metrics.PipelineMetrics;
import dev.payproc.core.pipeline.AuthorizationCommand;
import dev.payproc.core.pipeline.Command;
import dev.payproc.core.pipeline.SettlementItem;
import dev.payproc.core.port.CommandRouter;
import dev.payproc.core.stage.BackoffIdleStrategy;
import dev.payproc.core.stage.HandOff;
import dev.payproc.core.stage.StageThread;
import dev.payproc.risk.ActivityBoard;
import dev.payproc.risk.ComparisonReport;
import dev.payproc.risk.HistoricalAttempt;
import dev.payproc.risk.RiskEngine;
import dev.payproc.risk.RiskSettings;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * The risk stage split into shards by card fingerprint. Each shard is one thread with its own intake queue,
 * engine (the cards routed to it) and idempotency table; terminal and merchant activity is one
 * {@link ActivityBoard} that every shard counts into. An authorization goes to its card's shard, so one card's
 * attempts are decided in order by one thread, and a retry (same key, same card) meets its first attempt there.
 * A lifecycle command goes by its merchant and Idempotency-Key. A key reused with a different card lands on
 * another shard, where the database's unique key refuses it at commit ({@code 409}).
 */
public final class RiskShards implements CommandRouter {
    private static final int BATCH_CAP = 256;

    private record Shard(HandOff<Command> intake, RiskEngine engine, RiskStage stage, StageThread<Command> thread) {}

    private final List<Shard> shards;
    private final List<HandOff<Command>> intakes;
    private final int maxCardsPerMerchant;
    private volatile ComparisonReport shadowReport;

    public RiskShards(
            int count,
            RiskSettings settings,
            int maxCardsPerMerchant,
            List<HandOff<SettlementItem>> writers,
            int queueCapacity,
            int idempotencyCapacity,
            PipelineMetrics metrics,
            Clock clock) {
        if (count < 1) throw new IllegalArgumentException("at least one risk shard");
        this.maxCardsPerMerchant = maxCardsPerMerchant;
        ActivityBoard activity = new ActivityBoard();
        List<Shard> built = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            HandOff<Command> intake = new HandOff<>("intake-" + i, queueCapacity);
            RiskEngine engine = new RiskEngine(settings, activity, maxCardsPerMerchant);
            RiskStage stage = new RiskStage(engine, writers, Math.max(1, idempotencyCapacity / count), metrics, clock);
            // A strategy per thread: it keeps that thread's back-off step.
            StageThread<Command> thread =
                    new StageThread<>("risk-" + i, intake, stage, BATCH_CAP, new BackoffIdleStrategy());
            built.add(new Shard(intake, engine, stage, thread));
        }
        this.shards = List.copyOf(built);
        this.intakes = shards.stream().map(Shard::intake).toList();
    }

    /** The intake queue of the shard that decides {@code cmd}. */
    public HandOff<Command> intakeFor(Command cmd) {
        return shards.get(shardOf(cmd)).intake();
    }

    @Override
    public boolean offer(Command cmd) {
        return intakeFor(cmd).offer(cmd);
    }

    int shardOf(Command cmd) {
        if (cmd instanceof AuthorizationCommand auth)
            return shardOfCard(auth.authorization().card().fingerprint());
        return Math.floorMod(
                31 * cmd.merchantId().hashCode() + cmd.idempotencyKey().hashCode(), shards.size());
    }

    private int shardOfCard(String fingerprint) {
        return Math.floorMod(fingerprint.hashCode(), shards.size());
    }

    /** Wakes every shard with work waiting; producers call it after a run of offers. */
    @Override
    public void signalWaiting() {
        for (HandOff<Command> in : intakes) {
            if (!in.isEmpty()) in.signal();
        }
    }

    public List<HandOff<Command>> intakes() {
        return intakes;
    }

    public void start() {
        for (Shard s : shards) s.thread().start();
    }

    /** Stops every shard, waiting at most {@code timeoutMillis} for each. */
    public void stop(long timeoutMillis) throws InterruptedException {
        for (Shard s : shards) s.thread().stop(timeoutMillis);
    }

    public boolean isAlive() {
        for (Shard s : shards) if (!s.thread().isAlive()) return false;
        return true;
    }

    /** The rule settings in force (every shard holds the same ones). */
    public RiskSettings settings() {
        return shards.get(0).engine().settings();
    }

    /** Puts {@code next} in force on every shard, each between two of its decisions; history is kept. */
    public void update(RiskSettings next) {
        for (Shard s : shards) s.engine().update(next);
    }

    /** Records an attempt decided before a restart in its card's shard; call before {@link #start}. */
    public void replay(HistoricalAttempt attempt, long nowMillis) {
        shards.get(shardOfCard(attempt.cardFingerprint())).engine().replay(attempt, nowMillis);
    }

    public long rebuildHorizonMillis() {
        return shards.get(0).engine().rebuildHorizonMillis();
    }

    public int trackedCards() {
        int n = 0;
        for (Shard s : shards) n += s.engine().trackedCards();
        return n;
    }

    /**
     * Starts deciding every authorization with {@code candidate} too, on every shard (replacing any shadow
     * before), or stops when null. Its history starts empty, so velocity and daily rules compare fairly only
     * once it has seen a full window of traffic. Returns the report the shards fill.
     */
    public ComparisonReport shadow(RiskSettings candidate) {
        if (candidate == null) {
            for (Shard s : shards) s.stage().shadow(null, null);
            shadowReport = null;
            return null;
        }
        ComparisonReport report = new ComparisonReport(candidate.version());
        ActivityBoard activity = new ActivityBoard();
        for (Shard s : shards) s.stage().shadow(new RiskEngine(candidate, activity, maxCardsPerMerchant), report);
        shadowReport = report;
        return report;
    }

    /** The running shadow comparison, or null. */
    public ComparisonReport shadowReport() {
        return shadowReport;
    }
}
