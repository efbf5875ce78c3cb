package dev.payproc.risk.stage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.payproc.core.metrics.PipelineMetrics;
import dev.payproc.core.model.Operation;
import dev.payproc.core.model.Reply;
import dev.payproc.core.model.ReplySink;
import dev.payproc.core.pipeline.AuthorizationCommand;
import dev.payproc.core.pipeline.DecidedAuthorization;
import dev.payproc.core.pipeline.LifecycleCommand;
import dev.payproc.core.pipeline.SettlementItem;
import dev.payproc.core.stage.HandOff;
import dev.payproc.risk.RiskEngine;
import dev.payproc.risk.RiskEngineTest;
import dev.payproc.risk.RiskSettings;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executor;
import org.junit.jupiter.api.Test;

class RiskShardsTest {
    private static final ReplySink NOWHERE = new ReplySink() {
        @Override
        public Executor executor() {
            return Runnable::run;
        }

        @Override
        public void send(Reply reply) {}
    };

    private final HandOff<SettlementItem> writer = new HandOff<>("w", 10_000);
    private final RiskShards shards = new RiskShards(
            4,
            RiskSettings.defaults(),
            RiskEngine.DEFAULT_MAX_CARDS_PER_MERCHANT,
            List.of(writer),
            10_000,
            1_000,
            new PipelineMetrics(),
            Clock.systemUTC());

    private static AuthorizationCommand auth(String fingerprint, String key) {
        return new AuthorizationCommand(
                RiskEngineTest.auth(fingerprint, 100, "EUR"), key, new byte[] {1}, System.nanoTime(), NOWHERE);
    }

    @Test
    void aCardAlwaysGoesToOneShardAndCardsSpreadOverAll() {
        Set<Integer> used = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            String fp = "fp-" + i;
            int shard = shards.shardOf(auth(fp, "k-" + i));
            assertEquals(shard, shards.shardOf(auth(fp, "other-key")), "by card, whatever the key");
            used.add(shard);
        }
        assertEquals(Set.of(0, 1, 2, 3), used);
        LifecycleCommand capture = new LifecycleCommand(
                Operation.CAPTURE, "pay_1", "m-1", 100L, "cap-1", new byte[] {2}, System.nanoTime(), NOWHERE);
        assertEquals(
                shards.shardOf(capture),
                shards.shardOf(new LifecycleCommand(
                        Operation.CAPTURE, "pay_1", "m-1", 100L, "cap-1", new byte[] {2}, System.nanoTime(), NOWHERE)),
                "a retried operation meets its first attempt");
    }

    @Test
    void runningShardsDecideEveryCommandAndARuleSetChangeReachesThemAll() throws InterruptedException {
        shards.start();
        try {
            for (int i = 0; i < 400; i++) {
                AuthorizationCommand cmd = auth("fp-" + i, "k-" + i);
                assertTrue(shards.intakeFor(cmd).offer(cmd));
            }
            shards.signalWaiting();
            List<SettlementItem> decided = new ArrayList<>();
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (decided.size() < 400 && System.nanoTime() < deadline) {
                writer.drain(decided::add, 1_000);
                Thread.onSpinWait();
            }
            assertEquals(400, decided.size());
            assertEquals(400, shards.trackedCards());

            RiskSettings base = RiskSettings.defaults();
            RiskSettings next = new RiskSettings(7, base.thresholds(), base.merchants(), base.blocklist());
            shards.update(next);
            assertEquals(7, shards.settings().version());
            AuthorizationCommand after = auth("fp-late", "k-late");
            shards.intakeFor(after).offer(after);
            shards.signalWaiting();
            List<SettlementItem> late = new ArrayList<>();
            while (late.isEmpty() && System.nanoTime() < deadline) writer.drain(late::add, 1);
            assertNotNull(late.isEmpty() ? null : late.get(0));
            assertEquals(
                    7, ((DecidedAuthorization) late.get(0)).payment().decision().ruleSetVersion());
        } finally {
            shards.stop(1_000);
        }
    }
}
