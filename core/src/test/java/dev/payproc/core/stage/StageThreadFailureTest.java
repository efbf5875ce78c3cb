package dev.payproc.core.stage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class StageThreadFailureTest {
    /** 1 handles, -1 throws an exception, -2 a StackOverflowError; records what it answered. */
    private static class Handler implements BatchHandler<Integer> {
        final List<Integer> handled = new CopyOnWriteArrayList<>();
        final List<Throwable> answered = new CopyOnWriteArrayList<>();
        final CountDownLatch seen;

        Handler(int expected) {
            seen = new CountDownLatch(expected);
        }

        @Override
        public void onItem(Integer item) {
            if (item == -1) throw new IllegalStateException("an ordinary failure");
            if (item == -2) throw new StackOverflowError("a fatal one");
            handled.add(item);
            seen.countDown();
        }

        @Override
        public void onItemFailed(Integer item, Throwable failure) {
            answered.add(failure);
            seen.countDown();
        }
    }

    private static void awaitDeath(StageThread<?> stage) throws InterruptedException {
        for (int i = 0; i < 500 && stage.isAlive(); i++) Thread.sleep(10);
    }

    @Test
    void anExceptionFailsOneItemAndTheStageGoesOn() throws Exception {
        HandOff<Integer> in = new HandOff<>("in", 16);
        Handler h = new Handler(3);
        StageThread<Integer> stage = new StageThread<>("stage-exception", in, h, 8).start();
        for (int i : new int[] {1, -1, 1}) in.offer(i);
        in.signal();
        assertTrue(h.seen.await(5, TimeUnit.SECONDS));
        assertEquals(List.of(1, 1), h.handled);
        assertInstanceOf(IllegalStateException.class, h.answered.get(0));
        assertTrue(stage.isAlive());
        assertTrue(stage.stop(2_000));
    }

    @Test
    void anErrorAnswersItsItemAndEndsTheThread() throws Exception {
        HandOff<Integer> in = new HandOff<>("in", 16);
        Handler h = new Handler(2);
        StageThread<Integer> stage = new StageThread<>("stage-error", in, h, 8).start();
        for (int i : new int[] {1, -2, 1, 1}) in.offer(i);
        in.signal();
        assertTrue(h.seen.await(5, TimeUnit.SECONDS), "the item before and the failed one are answered");
        assertInstanceOf(StackOverflowError.class, h.answered.get(0));
        awaitDeath(stage);
        assertFalse(stage.isAlive(), "an Error ends the stage thread");
        assertEquals(List.of(1), h.handled, "nothing after the Error is handled");
        assertEquals(2, in.size(), "the rest stays queued");
    }

    @Test
    void anErrorWhileAnsweringStillEndsTheThread() throws Exception {
        HandOff<Integer> in = new HandOff<>("in", 16);
        Handler h = new Handler(1) {
            @Override
            public void onItemFailed(Integer item, Throwable failure) {
                seen.countDown();
                throw new OutOfMemoryError("answering failed too");
            }
        };
        StageThread<Integer> stage = new StageThread<>("stage-error-answer", in, h, 8).start();
        in.offer(-2);
        in.signal();
        assertTrue(h.seen.await(5, TimeUnit.SECONDS));
        awaitDeath(stage);
        assertFalse(stage.isAlive());
    }

    @Test
    void anExceptionAtBatchEndOrIdleIsLoggedAndTheStageGoesOn() throws Exception {
        HandOff<Integer> in = new HandOff<>("in", 16);
        CountDownLatch idles = new CountDownLatch(2);
        Handler h = new Handler(2) {
            @Override
            public void onBatchEnd() {
                throw new IllegalStateException("end of batch");
            }

            @Override
            public void onIdle(long nowNanos) {
                idles.countDown();
                throw new IllegalStateException("housekeeping");
            }
        };
        StageThread<Integer> stage =
                new StageThread<>("stage-hooks", in, h, 8, new BackoffIdleStrategy(0, 0, 1_000_000, 1_000_000)).start();
        in.offer(1);
        in.signal();
        assertTrue(idles.await(5, TimeUnit.SECONDS), "idles again after its housekeeping threw");
        in.offer(1);
        in.signal();
        assertTrue(h.seen.await(5, TimeUnit.SECONDS), "handles again after its end of batch threw");
        assertTrue(stage.isAlive());
        assertTrue(stage.stop(2_000));
    }

    @Test
    void anErrorAtBatchEndEndsTheThread() throws Exception {
        HandOff<Integer> in = new HandOff<>("in", 16);
        Handler h = new Handler(1) {
            @Override
            public void onBatchEnd() {
                throw new AssertionError("end of batch");
            }
        };
        StageThread<Integer> stage = new StageThread<>("stage-batch-error", in, h, 8).start();
        in.offer(1);
        in.signal();
        assertTrue(h.seen.await(5, TimeUnit.SECONDS));
        awaitDeath(stage);
        assertFalse(stage.isAlive());
    }

    @Test
    void anErrorInIdleHousekeepingEndsTheThread() throws Exception {
        HandOff<Integer> in = new HandOff<>("in", 16);
        Handler h = new Handler(0) {
            @Override
            public void onIdle(long nowNanos) {
                throw new AssertionError("housekeeping");
            }
        };
        StageThread<Integer> stage = new StageThread<>(
                        "stage-idle-error", in, h, 8, new BackoffIdleStrategy(0, 0, 1_000_000, 1_000_000))
                .start();
        awaitDeath(stage);
        assertFalse(stage.isAlive());
    }
}
