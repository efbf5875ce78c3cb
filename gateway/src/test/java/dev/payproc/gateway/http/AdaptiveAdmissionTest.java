package dev.payproc.gateway.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.payproc.core.metrics.LatencyMetric;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class AdaptiveAdmissionTest {
    private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);

    private final Admission admission = new Admission(256, 1);
    private final EventLoopLag lag = new EventLoopLag(new LatencyMetric("event_loop_lag", 60));
    private final AdaptiveAdmission control = new AdaptiveAdmission(admission, lag, 50);

    @Test
    void lateLoopsLowerTheLimitByAQuarterPerStepDownToTheFloor() {
        lag.record(80 * MS);
        control.adjust();
        assertEquals(192, admission.effectiveLimit());
        for (int i = 0; i < 50; i++) {
            lag.record(80 * MS);
            control.adjust();
        }
        assertEquals(AdaptiveAdmission.FLOOR, admission.effectiveLimit());
        assertEquals(256, admission.limit(), "the configured limit stays the ceiling");
    }

    @Test
    void theLimitInForceIsWhatAdmits() {
        lag.record(80 * MS);
        control.adjust(); // 192 in force
        for (int i = 0; i < 192; i++) assertNull(admission.tryAdmit(null));
        assertSame(GatewayErrors.OVERLOADED, admission.refusalIfFull());
        assertSame(GatewayErrors.OVERLOADED, admission.tryAdmit(null));
        assertEquals(192, admission.inFlight());
    }

    @Test
    void loopsOnTimeRaiseItBackToTheConfiguredLimitAndNoFurther() {
        for (int i = 0; i < 50; i++) {
            lag.record(80 * MS);
            control.adjust();
        }
        int steps = 0;
        while (admission.effectiveLimit() < 256 && steps < 100) {
            lag.record(5 * MS);
            control.adjust();
            steps++;
        }
        assertEquals(256, admission.effectiveLimit());
        assertTrue(steps > 10, "it climbs step by step (+1/8), not at once: " + steps);
        control.adjust(); // no lag recorded at all: still capped
        assertEquals(256, admission.effectiveLimit());
    }

    @Test
    void onlyTheWorstLagSinceTheLastStepCounts() {
        lag.record(80 * MS);
        lag.record(1 * MS);
        assertEquals(80 * MS, lag.takeWorstNanos());
        assertEquals(0, lag.takeWorstNanos(), "taken: the next step starts afresh");
    }

    @Test
    void aTargetOfZeroKeepsTheConfiguredLimit() {
        AdaptiveAdmission fixed = new AdaptiveAdmission(admission, lag, 0);
        lag.record(500 * MS);
        fixed.adjust();
        assertEquals(256, admission.effectiveLimit());
    }

    @Test
    void changingTheConfiguredLimitPutsItInForceAtOnce() {
        lag.record(80 * MS);
        control.adjust();
        admission.limit(1000);
        assertEquals(1000, admission.effectiveLimit());
        admission.limit(8);
        lag.record(80 * MS);
        control.adjust();
        assertEquals(8, admission.effectiveLimit(), "a configured limit below the floor is kept");
    }
}
