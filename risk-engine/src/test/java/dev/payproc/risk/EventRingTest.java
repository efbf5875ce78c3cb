package dev.payproc.risk;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class EventRingTest {
    @Test
    void growsInOrderThenDropsTheOldestAtCapacity() {
        EventRing ring = new EventRing(false);
        for (int t = 1; t <= 10; t++) ring.add(t, 10);
        assertEquals(10, ring.size());
        assertEquals(1, ring.at(0));
        ring.add(11, 10);
        assertEquals(10, ring.size(), "at capacity the oldest goes");
        assertEquals(2, ring.at(0));
        assertEquals(11, ring.at(9));
    }

    @Test
    void countsAWindowAndExpiresFromTheHead() {
        EventRing ring = new EventRing(false);
        for (int t = 0; t < 7; t++) ring.add(t * 10, 100);
        assertEquals(3, ring.countAfter(30), "40, 50 and 60");
        assertEquals(7, ring.countAfter(-1));
        ring.expireUpTo(20);
        assertEquals(4, ring.size());
        assertEquals(30, ring.at(0));
    }

    @Test
    void aClockSteppingBackDoesNotUnsortTheRing() {
        EventRing ring = new EventRing(false);
        ring.add(100, 10);
        ring.add(50, 10);
        assertEquals(100, ring.at(1));
        assertEquals(2, ring.countAfter(99));
    }
}
