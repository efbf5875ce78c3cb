package dev.payproc.risk;

import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.Test;

/** Idle terminals and merchants go, in one sweep per period however many shards ask. */
class ActivityBoardTest {
    private static final long T = 1_000_000;

    @Test
    void anIdleTerminalGoesAtTheFirstSweep() {
        ActivityBoard board = new ActivityBoard();
        ActivityRing ring = idleTerminal(board);
        board.evictIdle(T, T, T - 60_000);
        assertNotSame(ring, board.merchant("m-1").terminal("t-1"), "the idle terminal was dropped and starts afresh");
    }

    @Test
    void aSecondSweepWithinThePeriodDoesNothing() {
        ActivityBoard board = new ActivityBoard();
        board.evictIdle(T, T - 60_000, T - 60_000);
        ActivityRing ring = idleTerminal(board);
        board.evictIdle(T + ActivityBoard.SWEEP_PERIOD_MILLIS - 1, T, T);
        assertSame(ring, board.merchant("m-1").terminal("t-1"), "another shard swept less than a period ago");
        board.evictIdle(T + ActivityBoard.SWEEP_PERIOD_MILLIS, T, T);
        assertNotSame(ring, board.merchant("m-1").terminal("t-1"), "a period later the sweep runs");
    }

    /** A terminal whose last attempt was at {@code T - 1}. */
    private static ActivityRing idleTerminal(ActivityBoard board) {
        MerchantActivity m = board.merchant("m-1");
        ActivityRing ring = m.terminal("t-1");
        m.recordTerminal("t-1", ring, T - 1, T - 60_000, 8);
        return ring;
    }
}
