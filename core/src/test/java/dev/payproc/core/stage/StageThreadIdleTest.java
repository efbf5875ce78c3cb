package dev.payproc.core.stage;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class StageThreadIdleTest {
    /** Parks for up to a minute at once, counting the loop's calls. */
    private static final class ParkLong implements IdleStrategy {
        final AtomicInteger parks = new AtomicInteger();
        final AtomicInteger resets = new AtomicInteger();

        @Override
        public void idle(Parker parker) {
            parks.incrementAndGet();
            parker.park(TimeUnit.MINUTES.toNanos(1));
        }

        @Override
        public void reset() {
            resets.incrementAndGet();
        }
    }

    @Test
    void aStrategysLongParkEndsAtOnceOnASignalAndWorkResetsIt() throws Exception {
        HandOff<Integer> in = new HandOff<>("in", 16);
        CountDownLatch handled = new CountDownLatch(1);
        CountDownLatch idled = new CountDownLatch(1);
        BatchHandler<Integer> handler = new BatchHandler<>() {
            @Override
            public void onItem(Integer item) {
                handled.countDown();
            }

            @Override
            public void onItemFailed(Integer item, Throwable failure) {}

            @Override
            public void onIdle(long nowNanos) {
                idled.countDown();
            }
        };
        ParkLong idle = new ParkLong();
        StageThread<Integer> stage = new StageThread<>("stage-park-long", in, handler, 8, idle).start();
        while (idle.parks.get() == 0) Thread.onSpinWait();
        Thread.sleep(50); // well into the minute's park
        long signalled = System.nanoTime();
        in.offer(7);
        in.signal();
        assertTrue(handled.await(5, TimeUnit.SECONDS), "the signal unparks the stage");
        assertTrue(System.nanoTime() - signalled < TimeUnit.SECONDS.toNanos(5));
        assertTrue(idled.await(5, TimeUnit.SECONDS), "a park is followed by the handler's idle housekeeping");
        while (idle.resets.get() == 0) Thread.onSpinWait(); // the round that found work resets the strategy
        assertTrue(stage.stop(2_000), "stop ends even a minute's park at once");
    }
}
