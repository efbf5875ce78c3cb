package dev.payproc.app.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.payproc.core.model.Authorization;
import dev.payproc.core.model.CaptureMode;
import dev.payproc.core.model.CardOnFile;
import dev.payproc.core.model.CardholderVerification;
import dev.payproc.core.model.EntryMode;
import dev.payproc.core.model.Reply;
import dev.payproc.core.model.ReplySink;
import dev.payproc.core.pipeline.AuthorizationCommand;
import dev.payproc.core.pipeline.Command;
import dev.payproc.core.port.CommandRouter;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Where a cluster member sends an authorization, and what the terminal gets when the owner answers, is gone or
 * is silent (an event bus of one Vert.x stands in for the clustered one: the router only sees addresses).
 */
class ClusterRouterTest {
    private static final String ME = "node-me";
    private static final String OTHER = "node-other";

    private final Vertx vertx = Vertx.vertx();
    private final List<Command> local = new ArrayList<>();
    private final CommandRouter shards = new CommandRouter() {
        @Override
        public boolean offer(Command command) {
            local.add(command);
            return true;
        }

        @Override
        public void signalWaiting() {}
    };

    @AfterEach
    void close() {
        vertx.close().await();
    }

    private ClusterRouter router(int timeoutMillis) {
        return new ClusterRouter(shards, vertx.eventBus(), ME, List.of(ME, OTHER), timeoutMillis);
    }

    /** A fingerprint whose partition {@code owner} owns among the two members. */
    private static String cardOf(String owner) {
        Partitions t = Partitions.of(List.of(ME, OTHER), ME);
        for (int i = 0; ; i++) {
            String fp = "fp-" + i;
            if (t.ownerOf(Partitions.partitionOf(fp)).equals(owner)) return fp;
        }
    }

    private static AuthorizationCommand command(String fingerprint, CompletableFuture<Reply> answer) {
        Authorization a = new Authorization(
                "m-1001",
                "t-1",
                1250,
                "EUR",
                new CardOnFile("tok_1", fingerprint, "411111******1111", "41111111", "12/30", null, null),
                EntryMode.CONTACTLESS,
                "5411",
                "DE",
                CardholderVerification.NONE,
                CaptureMode.AUTO);
        ReplySink sink = new ReplySink() {
            @Override
            public Executor executor() {
                return Runnable::run;
            }

            @Override
            public void send(Reply reply) {
                answer.complete(reply);
            }
        };
        return new AuthorizationCommand(a, "key-1", new byte[] {1}, System.nanoTime(), sink);
    }

    private static Reply await(CompletableFuture<Reply> f) throws Exception {
        return f.get(10, TimeUnit.SECONDS);
    }

    @Test
    void aCardThisMemberOwnsGoesToItsOwnShards() {
        ClusterRouter router = router(1_000);
        CompletableFuture<Reply> answer = new CompletableFuture<>();
        assertTrue(router.offer(command(cardOf(ME), answer)));
        assertEquals(1, local.size());
        assertEquals(0, router.snapshot().forwardedOut());
    }

    @Test
    void anotherMembersCardIsForwardedAndItsAnswerRelayed() throws Exception {
        vertx.eventBus()
                .<Buffer>consumer(ForwardReceiver.address(OTHER), m -> {
                    ForwardCodec.Forwarded f = ForwardCodec.decodeCommand(m.body());
                    m.reply(ForwardCodec.encode(new Reply(
                            201,
                            "{\"card\":\"" + f.authorization().card().fingerprint() + "\",\"key\":\""
                                    + f.idempotencyKey() + "\"}",
                            true,
                            0)));
                })
                .completion()
                .await();
        ClusterRouter router = router(1_000);
        CompletableFuture<Reply> answer = new CompletableFuture<>();
        String card = cardOf(OTHER);
        assertTrue(router.offer(command(card, answer)));
        assertEquals(new Reply(201, "{\"card\":\"" + card + "\",\"key\":\"key-1\"}", true, 0), await(answer));
        assertEquals(0, local.size());
        assertEquals(1, router.snapshot().forwardedOut());
        assertEquals(0, router.snapshot().forwardFailures());
        router.roll(); // the metrics thread's step, here on the test's thread (the only roller)
        assertEquals(1, router.forwardLatency().snapshot().totalCount());
    }

    @Test
    void noOwnerListeningIsA503WithRetryAfterNeverA500() throws Exception {
        ClusterRouter router = router(1_000);
        CompletableFuture<Reply> answer = new CompletableFuture<>();
        router.offer(command(cardOf(OTHER), answer));
        Reply r = await(answer);
        assertEquals(ClusterRouter.NO_OWNER, r);
        assertEquals(503, r.status());
        assertEquals(1, r.retryAfterSeconds());
        assertTrue(r.body().contains("\"unavailable\""), r.body());
        assertEquals(1, router.snapshot().forwardFailures());
    }

    @Test
    void anOwnerSilentBeyondTheTimeoutIsA503SayingARetryWithTheSameKeyGetsItsAnswer() throws Exception {
        vertx.eventBus()
                .<Buffer>consumer(ForwardReceiver.address(OTHER), m -> {})
                .completion()
                .await();
        ClusterRouter router = router(200);
        CompletableFuture<Reply> answer = new CompletableFuture<>();
        long start = System.nanoTime();
        router.offer(command(cardOf(OTHER), answer));
        Reply r = await(answer);
        assertEquals(ClusterRouter.NO_ANSWER, r);
        assertEquals(503, r.status());
        assertEquals(1, r.retryAfterSeconds());
        assertTrue(r.body().contains("same Idempotency-Key"), r.body());
        assertTrue(System.nanoTime() - start >= 150_000_000L, "waited the timeout");
    }

    @Test
    void aLeaveHandsTheLeaversCardsToTheRemainingMember() {
        ClusterRouter router = router(1_000);
        router.membershipChanged("left: " + OTHER, List.of(ME));
        CompletableFuture<Reply> answer = new CompletableFuture<>();
        router.offer(command(cardOf(OTHER), answer));
        assertEquals(1, local.size());
        assertEquals(Partitions.COUNT, router.snapshot().partitionsOwned());
        assertEquals(1, router.snapshot().members());
    }
}
