package dev.payproc.risk.stage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.payproc.core.metrics.PipelineMetrics;
import dev.payproc.core.model.DecisionStatus;
import dev.payproc.core.model.Operation;
import dev.payproc.core.model.Reply;
import dev.payproc.core.model.ReplySink;
import dev.payproc.core.pipeline.AuthorizationCommand;
import dev.payproc.core.pipeline.DecidedAuthorization;
import dev.payproc.core.pipeline.LifecycleCommand;
import dev.payproc.core.pipeline.LifecycleRequest;
import dev.payproc.core.pipeline.SettlementItem;
import dev.payproc.core.stage.HandOff;
import dev.payproc.risk.RiskEngine;
import dev.payproc.risk.RiskEngineTest;
import dev.payproc.risk.RiskSettings;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import org.junit.jupiter.api.Test;

class RiskStageTest {
    private static final class Sink implements ReplySink {
        final List<Reply> replies = new ArrayList<>();

        @Override
        public Executor executor() {
            return Runnable::run;
        }

        @Override
        public void send(Reply reply) {
            replies.add(reply);
        }
    }

    private final HandOff<SettlementItem> writer = new HandOff<>("w", 16);
    private final RiskStage stage = new RiskStage(
            new RiskEngine(RiskSettings.defaults()),
            List.of(writer),
            100,
            new PipelineMetrics(),
            Clock.fixed(Instant.parse("2026-11-23T10:00:00.123456Z"), ZoneOffset.UTC));

    private static AuthorizationCommand cmd(String key, byte[] hash, long amount, Sink sink) {
        return new AuthorizationCommand(RiskEngineTest.auth("fp", amount, "EUR"), key, hash, System.nanoTime(), sink);
    }

    private DecidedAuthorization take() {
        List<SettlementItem> out = new ArrayList<>();
        writer.drain(out::add, 1);
        return out.isEmpty() ? null : (DecidedAuthorization) out.get(0);
    }

    @Test
    void decidesAndHandsThePaymentToAWriter() {
        Sink sink = new Sink();
        stage.onItem(cmd("k1", new byte[] {1}, 1250, sink));
        DecidedAuthorization d = take();
        assertEquals(DecisionStatus.APPROVED, d.payment().status());
        assertEquals(
                Instant.parse("2026-11-23T10:00:00.123Z"), d.payment().createdAt(), "millisecond precision, as stored");
        assertEquals(1250, d.payment().capturedAmount());
        assertTrue(sink.replies.isEmpty(), "answered only after the commit");
    }

    @Test
    void aDuplicateWaitsForTheFirstAndAConflictIsRefused() {
        Sink first = new Sink();
        Sink duplicate = new Sink();
        Sink conflict = new Sink();
        stage.onItem(cmd("k", new byte[] {1}, 1250, first));
        stage.onItem(cmd("k", new byte[] {1}, 1250, duplicate));
        stage.onItem(cmd("k", new byte[] {2}, 999, conflict));
        DecidedAuthorization d = take();
        assertNull(take(), "the duplicate is not decided again");
        assertEquals(409, conflict.replies.get(0).status());
        assertTrue(duplicate.replies.isEmpty());

        d.idempotency().complete(Reply.of(201, "{\"id\":\"p\"}"));
        assertEquals(List.of(new Reply(200, "{\"id\":\"p\"}", true, 0)), duplicate.replies);
        Sink late = new Sink();
        stage.onItem(cmd("k", new byte[] {1}, 1250, late));
        assertEquals(List.of(new Reply(200, "{\"id\":\"p\"}", true, 0)), late.replies);
    }

    @Test
    void aKeyWhoseFirstAttemptFailedMayBeUsedAgain() {
        stage.onItem(cmd("k", new byte[] {1}, 1250, new Sink()));
        DecidedAuthorization first = take();
        first.idempotency().complete(new Reply(503, "{}", false, 1));
        stage.onItem(cmd("k", new byte[] {1}, 1250, new Sink()));
        DecidedAuthorization retry = take();
        assertTrue(retry != null && retry != first);
    }

    @Test
    void aFailingItemIsAnsweredWith500AndItsKeyReleased() {
        Sink sink = new Sink();
        // No currency: the engine's limit lookup throws half-way through the item, as a bug would.
        AuthorizationCommand poison = new AuthorizationCommand(
                RiskEngineTest.auth("fp", 1250, null), "boom", new byte[] {1}, System.nanoTime(), sink);
        try {
            stage.onItem(poison);
        } catch (RuntimeException expected) {
            stage.onItemFailed(poison, expected); // what StageThread does
        }
        assertEquals(500, sink.replies.get(0).status());
        assertNull(take(), "nothing reached settlement");
        stage.onItem(cmd("boom", new byte[] {1}, 1250, new Sink()));
        assertTrue(take() != null, "the key was released, so a retry is decided afresh");
    }

    @Test
    void routesAPaymentsOperationsToTheWriterOfItsAuthorization() {
        List<HandOff<SettlementItem>> writers =
                List.of(new HandOff<>("w0", 16), new HandOff<>("w1", 16), new HandOff<>("w2", 16));
        RiskStage three = new RiskStage(
                new RiskEngine(RiskSettings.defaults()), writers, 100, new PipelineMetrics(), Clock.systemUTC());
        for (int i = 0; i < 12; i++) {
            three.onItem(cmd("a" + i, new byte[] {(byte) i}, 100, new Sink()));
        }
        for (HandOff<SettlementItem> w : writers) {
            List<SettlementItem> auths = new ArrayList<>();
            w.drain(auths::add, 100);
            for (SettlementItem item : auths) {
                String paymentId = ((DecidedAuthorization) item).payment().id();
                three.onItem(new LifecycleCommand(
                        Operation.REFUND,
                        paymentId,
                        "m-1",
                        10L,
                        "r-" + paymentId,
                        new byte[] {9},
                        System.nanoTime(),
                        new Sink()));
                List<SettlementItem> routed = new ArrayList<>();
                w.drain(routed::add, 10);
                assertEquals(1, routed.size(), "the refund went to the writer that committed the authorization");
                assertEquals(
                        paymentId, ((LifecycleRequest) routed.get(0)).command().paymentId());
            }
        }
    }
}
