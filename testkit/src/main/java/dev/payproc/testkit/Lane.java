package dev.payproc.testkit;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Which requests one connection of a load client sends, and when: its share of an {@link OpenSchedule} or of a
 * closed loop. Shared by both load clients, {@link LoadClient} and the benchmarks' raw-Netty flood, so that both
 * pace the same way. A lane is touched by its connection's event loop only; a {@link Loop} is shared by the lanes.
 */
public sealed interface Lane permits Lane.Open, Lane.Closed {
    /** The request to send now, with {@code inFlight} of this connection's requests unanswered, or -1 for none now. */
    long take(long nowNanos, int inFlight);

    /** When request {@code i}, taken at {@code nowNanos}, should have gone: its latency counts from then. */
    long intendedNanos(long i, long nowNanos);

    /** Nothing more will be taken. */
    boolean done(long nowNanos);

    /** Requests due that {@link #take} has not handed out yet. */
    long due(long nowNanos);

    /** Lane {@code lane}'s part of {@code total} streams spread over {@code lanes}: the first ones get one more. */
    static int share(int total, int lane, int lanes) {
        return total / lanes + (lane < total % lanes ? 1 : 0);
    }

    /** Requests lane, lane + lanes, ... of {@code schedule}, each as soon as it is due. */
    final class Open implements Lane {
        private final OpenSchedule schedule;
        private final int lanes;
        private long next;

        public Open(OpenSchedule schedule, int lane, int lanes) {
            this.schedule = schedule;
            this.lanes = lanes;
            this.next = lane;
        }

        @Override
        public long take(long nowNanos, int inFlight) {
            if (next >= schedule.total() || next > schedule.dueUpTo(nowNanos)) return -1;
            long i = next;
            next += lanes;
            return i;
        }

        @Override
        public long intendedNanos(long i, long nowNanos) {
            return schedule.intendedNanos(i);
        }

        @Override
        public boolean done(long nowNanos) {
            return next >= schedule.total();
        }

        @Override
        public long due(long nowNanos) {
            long last = Math.min(schedule.dueUpTo(nowNanos), schedule.total() - 1);
            return next > last ? 0 : (last - next) / lanes + 1;
        }
    }

    /**
     * What the lanes of one closed loop share: the next request number (from {@code first}, below {@code limit}) and
     * the end, which may move later while the loop runs (a warm-up that goes on while the JIT still compiles).
     */
    final class Loop {
        private final AtomicLong next;
        private final long limit;
        private volatile long endNanos;

        public Loop(long first, long limit, long endNanos) {
            this.next = new AtomicLong(first);
            this.limit = limit;
            this.endNanos = endNanos;
        }

        /** Until {@code endNanos}, numbers from {@code first} on. */
        public static Loop until(long first, long endNanos) {
            return new Loop(first, Long.MAX_VALUE, endNanos);
        }

        /** Requests {@code first} .. {@code limit - 1}, however long they take. */
        public static Loop count(long first, long limit) {
            return new Loop(first, limit, Long.MAX_VALUE);
        }

        public long endNanos() {
            return endNanos;
        }

        /** Moves the end later (never earlier: a lane that saw the end has stopped). */
        public void extendTo(long endNanos) {
            if (endNanos > this.endNanos) this.endNanos = endNanos;
        }

        long take(long nowNanos) {
            if (nowNanos >= endNanos || next.get() >= limit) return -1;
            long i = next.getAndIncrement();
            return i < limit ? i : -1;
        }

        public boolean done(long nowNanos) {
            return nowNanos >= endNanos || next.get() >= limit;
        }
    }

    /** {@code streams} requests of {@code loop} in flight on this connection until the loop is done. */
    record Closed(Loop loop, int streams) implements Lane {
        @Override
        public long take(long nowNanos, int inFlight) {
            return inFlight < streams ? loop.take(nowNanos) : -1;
        }

        @Override
        public long intendedNanos(long i, long nowNanos) {
            return nowNanos;
        }

        @Override
        public boolean done(long nowNanos) {
            return loop.done(nowNanos);
        }

        @Override
        public long due(long nowNanos) {
            return 0;
        }
    }
}
