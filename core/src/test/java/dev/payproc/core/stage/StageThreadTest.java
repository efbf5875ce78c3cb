package dev.payproc.core.stage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class StageThreadTest {
    /** Handles integers; a negative one is poison. */
    private static final class Recorder implements BatchHandler<Integer> {
        final List<Integer> handled = new CopyOnWriteArrayList<>();
        final List<Integer> failed = new CopyOnWriteArrayList<>();
        final List<Integer> batchEnds = new CopyOnWriteArrayList<>();
        final CountDownLatch done;

        Recorder(int expected) {
            done = new CountDownLatch(expected);
        }

        @Override
        public void onItem(Integer item) {
            if (item < 0) throw new IllegalArgumentException("poison " + item);
            handled.add(item);
            done.countDown();
        }

        @Override
        public void onItemFailed(Integer item, Throwable failure) {
            failed.add(item);
            done.countDown();
        }

        @Override
        public void onBatchEnd() {
            batchEnds.add(handled.size());
        }
    }

    @Test
    void aFailingItemIsAnsweredAndTheStageGoesOn() throws Exception {
        HandOff<Integer> in = new HandOff<>("test", 16);
        Recorder r = new Recorder(4);
        StageThread<Integer> stage = new StageThread<>("stage-under-test", in, r, 8).start();
        for (int i : new int[] {1, -2, 3, 4}) assertTrue(in.offer(i));
        in.signal();
        assertTrue(r.done.await(5, TimeUnit.SECONDS));
        assertEquals(List.of(1, 3, 4), r.handled);
        assertEquals(List.of(-2), r.failed);
        assertTrue(stage.isAlive());
        assertTrue(stage.stop(2_000));
    }

    @Test
    void drainsInBatchesUpToTheCap() throws Exception {
        HandOff<Integer> in = new HandOff<>("test", 64);
        for (int i = 0; i < 20; i++) in.offer(i);
        Recorder r = new Recorder(20);
        StageThread<Integer> stage = new StageThread<>("stage-batches", in, r, 8).start();
        assertTrue(r.done.await(5, TimeUnit.SECONDS));
        assertTrue(stage.stop(2_000));
        assertEquals(List.of(8, 16, 20), r.batchEnds, "20 queued items drain as batches of 8, 8 and 4");
    }

    @Test
    void anIdleStageParksAndWakesOnSignal() throws Exception {
        HandOff<Integer> in = new HandOff<>("test", 16);
        Recorder r = new Recorder(1);
        StageThread<Integer> stage = new StageThread<>("stage-idle", in, r, 8).start();
        Thread t = Thread.getAllStackTraces().keySet().stream()
                .filter(x -> x.getName().equals("stage-idle"))
                .findFirst()
                .orElseThrow();
        Thread.State state = null;
        for (int i = 0; i < 200 && state != Thread.State.TIMED_WAITING; i++) {
            Thread.sleep(5);
            state = t.getState();
        }
        assertEquals(Thread.State.TIMED_WAITING, state, "an idle stage parks instead of spinning");
        in.offer(42);
        in.signal();
        assertTrue(r.done.await(1, TimeUnit.SECONDS), "a signal wakes the parked stage");
        assertTrue(stage.stop(2_000), "stop ends the loop promptly");
        assertFalse(stage.isAlive());
    }

    @Test
    void theLoopItselfAllocatesNothing() throws Exception {
        // A handler that keeps nothing: whatever the stage thread allocates is the loop's own (drain, spin, park).
        CountDownLatch handled = new CountDownLatch(20_000);
        HandOff<Integer> in = new HandOff<>("in", 64);
        long[] stageThreadId = new long[1];
        BatchHandler<Integer> quiet = new BatchHandler<>() {
            @Override
            public void onItem(Integer item) {
                stageThreadId[0] = Thread.currentThread().getId();
                handled.countDown();
            }

            @Override
            public void onItemFailed(Integer item, Throwable failure) {}
        };
        StageThread<Integer> stage = new StageThread<>("stage-alloc", in, quiet, 8).start();
        Integer item = 1;
        while (!in.offer(item)) Thread.onSpinWait();
        in.signal();
        while (stageThreadId[0] == 0) Thread.onSpinWait();
        var threads = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        long before = threads.getThreadAllocatedBytes(stageThreadId[0]);
        for (int i = 1; i < 20_000; i++) { // one at a time: the loop spins and parks between most of them
            while (!in.offer(item)) Thread.onSpinWait();
            in.signal();
        }
        assertTrue(handled.await(10, TimeUnit.SECONDS));
        long allocated = threads.getThreadAllocatedBytes(stageThreadId[0]) - before;
        stage.stop(1_000);
        assertTrue(allocated < 4_096, "the stage loop allocated " + allocated + " bytes for 20,000 items");
    }

    @Test
    void aFullHandOffRefusesInsteadOfBlocking() {
        HandOff<Integer> in = new HandOff<>("tiny", 2);
        assertTrue(in.offer(1));
        assertTrue(in.offer(2));
        assertFalse(in.offer(3));
        assertEquals(2, in.size());
        assertEquals(2, in.capacity());
    }
}
