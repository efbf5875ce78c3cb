package dev.payproc.risk.stage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.payproc.core.metrics.PipelineMetrics;
import dev.payproc.core.model.Authorization;
import dev.payproc.core.model.Reply;
import dev.payproc.core.model.ReplySink;
import dev.payproc.core.pipeline.AuthorizationCommand;
import dev.payproc.core.pipeline.IdempotencyEntry;
import dev.payproc.core.pipeline.SettlementItem;
import dev.payproc.core.stage.HandOff;
import dev.payproc.risk.HistoricalAttempt;
import dev.payproc.risk.RiskEngine;
import dev.payproc.risk.RiskEngineTest;
import dev.payproc.risk.RiskSettings;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The risk stage's single-writer invariants, checked by assertions (Surefire runs tests with -ea). */
class SingleWriterChecksTest {
    private static final ReplySink NOWHERE = new ReplySink() {
        @Override
        public Executor executor() {
            return Runnable::run;
        }

        @Override
        public void send(Reply reply) {}
    };

    private static Throwable onAnotherThread(Runnable touch) throws InterruptedException {
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread t = new Thread(
                () -> {
                    try {
                        touch.run();
                    } catch (Throwable e) {
                        failure.set(e);
                    }
                },
                "intruder");
        t.start();
        t.join();
        return failure.get();
    }

    @Test
    void shardThreadsTakeOverTheStateReplayedBeforeTheyStarted() throws InterruptedException {
        HandOff<SettlementItem> writer = new HandOff<>("w", 1_000);
        RiskShards shards = new RiskShards(
                2,
                RiskSettings.defaults(),
                RiskEngine.DEFAULT_MAX_CARDS_PER_MERCHANT,
                List.of(writer),
                1_000,
                1_000,
                new PipelineMetrics(),
                Clock.systemUTC());
        long now = System.currentTimeMillis();
        for (int i = 0; i < 20; i++) {
            Authorization a = RiskEngineTest.auth("fp-" + i, 100, "EUR");
            shards.replay(
                    new HistoricalAttempt(
                            a.card().fingerprint(),
                            a.merchantId(),
                            a.terminalId(),
                            a.amount(),
                            a.currency(),
                            a.merchantCountry(),
                            a.entryMode(),
                            true,
                            now - 1_000),
                    now);
        }
        shards.start();
        try {
            for (int i = 0; i < 20; i++) {
                AuthorizationCommand cmd = new AuthorizationCommand(
                        RiskEngineTest.auth("fp-" + i, 100, "EUR"),
                        "k-" + i,
                        new byte[] {1},
                        System.nanoTime(),
                        NOWHERE);
                assertTrue(shards.intakeFor(cmd).offer(cmd));
            }
            shards.signalWaiting();
            List<SettlementItem> decided = new ArrayList<>();
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (decided.size() < 20 && System.nanoTime() < deadline) writer.drain(decided::add, 100);
            assertEquals(
                    20, decided.size(), "every replayed card decided on its shard's thread without a check tripping");
            assertTrue(shards.isAlive());
        } finally {
            shards.stop(1_000);
        }
    }

    @Test
    void anotherThreadDecidingWithAShardsEngineTrips() throws InterruptedException {
        RiskEngine engine = new RiskEngine(RiskSettings.defaults());
        engine.decide(RiskEngineTest.auth("fp-1", 100, "EUR"), System.currentTimeMillis());
        Throwable tripped = onAnotherThread(
                () -> engine.decide(RiskEngineTest.auth("fp-2", 100, "EUR"), System.currentTimeMillis()));
        assertInstanceOf(AssertionError.class, tripped);
        assertTrue(tripped.getMessage().contains("touched by intruder"), tripped.getMessage());
    }

    @Test
    void anotherThreadTouchingTheKeyTableTrips() throws InterruptedException {
        IdempotencyTable keys = new IdempotencyTable(16);
        keys.put("m-1", "k-1", new IdempotencyEntry(new byte[] {1}));
        assertInstanceOf(AssertionError.class, onAnotherThread(() -> keys.get("m-1", "k-1")));
    }
}
