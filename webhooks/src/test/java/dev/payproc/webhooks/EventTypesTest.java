package dev.payproc.webhooks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class EventTypesTest {
    @Test
    void typesOfTheFeedAreKeptSortedOnce() {
        assertEquals(List.of(), EventTypes.parse(List.of()));
        assertEquals(List.of("CAPTURE", "REFUND"), EventTypes.parse(List.of("REFUND", "CAPTURE", "REFUND")));
        assertEquals(List.of("DISPUTE_LOST", "DISPUTE_WON"), EventTypes.parse(List.of("DISPUTE_WON", "DISPUTE_LOST")));
        assertEquals(EventTypes.ALL.stream().sorted().toList(), EventTypes.parse(EventTypes.ALL));
    }

    @Test
    void anyOtherTypeRefusesTheWholeList() {
        assertNull(EventTypes.parse(List.of("CAPTURE", "capture")));
        assertNull(EventTypes.parse(List.of("SETTLEMENT")));
        assertNull(EventTypes.parse(List.of("")));
        assertTrue(EventTypes.refusal().contains("AUTHORIZATION, CAPTURE, VOID, REFUND, EXPIRY, DISPUTE_OPENED"));
    }

    @Test
    void noTypesMeansEveryType() {
        assertTrue(EventTypes.subscribes(List.of(), "EXPIRY"));
        assertTrue(EventTypes.subscribes(List.of("CAPTURE"), "CAPTURE"));
        assertFalse(EventTypes.subscribes(List.of("CAPTURE"), "AUTHORIZATION"));
    }
}
