package dev.payproc.core.stage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.payproc.core.stage.BackoffIdleStrategy.Step;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class BackoffIdleStrategyTest {
    private final List<Long> parks = new ArrayList<>();
    private final IdleStrategy.Parker parker = parks::add;

    @Test
    void spinsThenYieldsThenParksForLongerUpToTheBound() {
        BackoffIdleStrategy idle = new BackoffIdleStrategy(3, 2, 1_000, 5_000);
        for (int i = 0; i < 3; i++) {
            assertEquals(Step.SPINNING, idle.step());
            idle.idle(parker);
        }
        for (int i = 0; i < 2; i++) {
            idle.idle(parker);
            assertEquals(Step.YIELDING, idle.step());
        }
        assertEquals(List.of(), parks, "no park while spins and yields remain");
        for (int i = 0; i < 5; i++) idle.idle(parker);
        assertEquals(Step.PARKING, idle.step());
        assertEquals(List.of(1_000L, 2_000L, 4_000L, 5_000L, 5_000L), parks, "doubling, capped at maxParkNanos");
    }

    @Test
    void workStartsTheNextIdlePeriodFromSpinningAgain() {
        BackoffIdleStrategy idle = new BackoffIdleStrategy(2, 1, 1_000, 8_000);
        for (int i = 0; i < 5; i++) idle.idle(parker);
        assertEquals(List.of(1_000L, 2_000L), parks);
        idle.reset();
        assertEquals(Step.SPINNING, idle.step());
        for (int i = 0; i < 3; i++) idle.idle(parker);
        assertEquals(List.of(1_000L, 2_000L), parks, "two spins and a yield again before any park");
        idle.idle(parker);
        assertEquals(List.of(1_000L, 2_000L, 1_000L), parks, "and the park starts from the shortest again");
    }

    @Test
    void theDefaultIsTodaysStageLoop() {
        BackoffIdleStrategy idle = new BackoffIdleStrategy();
        for (int i = 0; i < BackoffIdleStrategy.DEFAULT_MAX_SPINS; i++) idle.idle(parker);
        assertEquals(List.of(), parks, "64 spins first");
        idle.idle(parker);
        idle.idle(parker);
        assertEquals(List.of(50_000_000L, 50_000_000L), parks, "then no yield and parks of 50 ms every time");
    }

    @Test
    void refusesNonsense() {
        assertThrows(IllegalArgumentException.class, () -> new BackoffIdleStrategy(-1, 0, 1, 1));
        assertThrows(IllegalArgumentException.class, () -> new BackoffIdleStrategy(0, 0, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> new BackoffIdleStrategy(0, 0, 2, 1));
    }
}
