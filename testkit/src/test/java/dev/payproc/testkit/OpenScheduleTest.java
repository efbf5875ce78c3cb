package dev.payproc.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class OpenScheduleTest {
    @Test
    void requestIIsDueAtIOverTheRate() {
        OpenSchedule s = OpenSchedule.of(4_000, 1_000_000_000L, 3_000_000_000L); // 2 s at 4,000/s: one every 250 µs
        assertEquals(8_000, s.total());
        assertEquals(-1, s.dueUpTo(999_999_999L));
        assertEquals(0, s.dueUpTo(1_000_000_000L));
        assertEquals(0, s.dueUpTo(1_000_249_999L));
        assertEquals(1, s.dueUpTo(1_000_250_000L));
        assertEquals(1_000_000_000L + 250_000L * 7_999, s.intendedNanos(7_999));
    }
}
