package dev.payproc.bench.faults;

import dev.payproc.testkit.OpenSchedule;
import java.util.concurrent.atomic.AtomicLong;

/** Which requests one {@link FloodConnection} sends, and when: its share of an open schedule or of a closed loop. */
sealed interface Lane permits Lane.Open, Lane.Closed {
    /** The request to send now, with {@code inFlight} of this connection's requests unanswered, or -1 for none now. */
    long take(long nowNanos, int inFlight);

    /** When request {@code i}, taken at {@code nowNanos}, should have gone: its latency counts from then. */
    long intendedNanos(long i, long nowNanos);

    /** Nothing more will be taken. */
    boolean done(long nowNanos);

    /** Requests due that {@link #take} has not handed out yet. */
    long due(long nowNanos);

    /** Requests lane, lane + lanes, ... of {@code schedule}, each as soon as it is due. */
    final class Open implements Lane {
        private final OpenSchedule schedule;
        private final int lanes;
        private long next;

        Open(OpenSchedule schedule, int lane, int lanes) {
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

    /** A closed loop of {@code streams} requests on this connection until {@code endNanos}, keys from a shared sequence. */
    record Closed(AtomicLong keys, int streams, long endNanos) implements Lane {
        @Override
        public long take(long nowNanos, int inFlight) {
            return inFlight < streams && nowNanos < endNanos ? keys.getAndIncrement() : -1;
        }

        @Override
        public long intendedNanos(long i, long nowNanos) {
            return nowNanos;
        }

        @Override
        public boolean done(long nowNanos) {
            return nowNanos >= endNanos;
        }

        @Override
        public long due(long nowNanos) {
            return 0;
        }
    }
}
