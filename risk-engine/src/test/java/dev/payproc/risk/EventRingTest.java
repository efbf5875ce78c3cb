package dev.payproc.risk;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class EventRingTest {
    @Test
    void growsInOrderThenDropsTheOldestAtCapacity() {
        EventRing ring = new EventRing();
        for (int t = 1; t <= 10; t++) ring.add(t, 0, 0, 10);
        assertEquals(10, ring.size());
        assertEquals(1, ring.at(0));
        ring.add(11, 0, 0, 10);
        assertEquals(10, ring.size(), "at capacity the oldest goes");
        assertEquals(2, ring.at(0));
        assertEquals(11, ring.at(9));
    }

    @Test
    void countsAWindowAndExpiresFromTheHead() {
        EventRing ring = new EventRing();
        for (int t = 0; t < 7; t++) ring.add(t * 10, 0, 0, 100);
        assertEquals(3, ring.countAfter(30), "40, 50 and 60");
        assertEquals(7, ring.countAfter(-1));
        ring.expireUpTo(20);
        assertEquals(4, ring.size());
        assertEquals(30, ring.at(0));
    }

    @Test
    void aClockSteppingBackDoesNotUnsortTheRing() {
        EventRing ring = new EventRing();
        ring.add(100, 0, 0, 10);
        ring.add(50, 0, 0, 10);
        assertEquals(100, ring.at(1));
        assertEquals(2, ring.countAfter(99));
    }

    @Test
    void growsFromOneEventAndKeepsPayloadsWithTheirTimesAcrossTheWrap() {
        EventRing ring = new EventRing();
        for (int t = 1; t <= 3; t++) ring.add(t, t * 100, t * 1_000, 4);
        ring.expireUpTo(2); // the head moves off the start of the array
        for (int t = 4; t <= 7; t++) ring.add(t, t * 100, t * 1_000, 4);
        assertEquals(4, ring.size(), "at capacity the oldest went");
        for (int i = 0; i < 4; i++) {
            long t = 4 + i;
            assertEquals(t, ring.at(i));
            assertEquals(t * 100, ring.amount(i));
            assertEquals(t * 1_000, ring.attrs(i));
        }
        ring.add(8, 800, 8_000, 6);
        assertEquals(5, ring.size(), "a larger capacity grows the wrapped ring in order");
        assertEquals(4, ring.at(0));
        assertEquals(800, ring.amount(4));
    }
}
