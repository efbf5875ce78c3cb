package dev.payproc.webhooks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class DeliveryBackoffTest {
    private final DeliveryBackoff backoff = new DeliveryBackoff(1_000, 60_000, 5);

    @Test
    void theCeilingDoublesFromTheBaseUpToTheCap() {
        assertEquals(1_000, backoff.ceilingMillis(1));
        assertEquals(2_000, backoff.ceilingMillis(2));
        assertEquals(4_000, backoff.ceilingMillis(3));
        assertEquals(32_000, backoff.ceilingMillis(6));
        assertEquals(60_000, backoff.ceilingMillis(7));
        assertEquals(60_000, backoff.ceilingMillis(1_000), "no overflow however many failures");
        assertEquals(60_000, new DeliveryBackoff(3, 60_000, 5).ceilingMillis(63));
    }

    @Test
    void theDelayIsFullJitterBetweenZeroAndTheCeiling() {
        assertEquals(0, backoff.delayMillis(3, bound -> 0));
        assertEquals(4_000, backoff.delayMillis(3, bound -> bound));
        List<Long> bounds = new ArrayList<>();
        backoff.delayMillis(4, bound -> {
            bounds.add(bound);
            return bound / 2;
        });
        assertEquals(List.of(8_000L), bounds, "the jitter source is asked for [0, ceiling]");
        Random random = new Random(42);
        boolean low = false;
        boolean high = false;
        for (int i = 0; i < 1_000; i++) {
            long d = backoff.delayMillis(7, bound -> (long) (random.nextDouble() * (bound + 1)));
            assertTrue(d >= 0 && d <= 60_000, Long.toString(d));
            low |= d < 10_000;
            high |= d > 50_000;
        }
        assertTrue(low && high, "spread over the whole range");
    }

    @Test
    void aJitterSourceOutOfRangeIsRefused() {
        assertThrows(IllegalStateException.class, () -> backoff.delayMillis(1, bound -> bound + 1));
        assertThrows(IllegalStateException.class, () -> backoff.delayMillis(1, bound -> -1));
    }

    @Test
    void theLastAttemptParks() {
        assertFalse(backoff.parks(1));
        assertFalse(backoff.parks(4));
        assertTrue(backoff.parks(5));
        assertTrue(new DeliveryBackoff(1, 1, 1).parks(1), "one attempt only: the first failure parks");
    }

    @Test
    void nonsenseSettingsAreRefusedNamingThem() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new DeliveryBackoff(0, 10, 1))
                .getMessage()
                .contains("WEBHOOK_BACKOFF_BASE_MS"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new DeliveryBackoff(10, 5, 1))
                .getMessage()
                .contains("WEBHOOK_BACKOFF_CAP_MS"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new DeliveryBackoff(10, 10, 0))
                .getMessage()
                .contains("WEBHOOK_MAX_ATTEMPTS"));
    }
}
