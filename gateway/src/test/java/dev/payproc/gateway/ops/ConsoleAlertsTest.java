package dev.payproc.gateway.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.payproc.core.model.DecisionStatus;
import dev.payproc.gateway.ops.ConsoleHistory.Quantiles;
import dev.payproc.gateway.ops.ConsoleHistory.Second;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConsoleAlertsTest {
    private static final PipelineGauges.Levels CALM = levels(0, 100, "CLOSED", true, List.of(0, 0));

    @Test
    void aCalmPipelineRaisesNothing() {
        assertEquals(List.of(), ConsoleAlerts.evaluate(steady(120, 100, 2, 5.0), CALM));
        assertEquals(List.of(), ConsoleAlerts.evaluate(List.of(), CALM), "no history yet");
    }

    @Test
    void theDatabaseItsBreakerAndFullQueuesAreFlagged() {
        assertEquals(
                List.of("critical DATABASE_DOWN", "critical BREAKER_OPEN"),
                codes(levels(0, 100, "OPEN", false, List.of(0, 0))));
        assertEquals(List.of("warning BREAKER_HALF_OPEN"), codes(levels(0, 100, "HALF_OPEN", true, List.of(0, 0))));
        assertEquals(List.of("warning QUEUE_NEAR_FULL"), codes(levels(80, 100, "CLOSED", true, List.of(0, 0))));
        assertEquals(
                List.of("critical QUEUE_NEAR_FULL", "critical QUEUE_NEAR_FULL"),
                codes(levels(96, 100, "CLOSED", true, List.of(0, 99))),
                "in flight and settlement writer 1");
        assertEquals(List.of(), codes(levels(79, 100, "CLOSED", true, List.of(79, 0))));
    }

    @Test
    void aDeclineRateFarAboveItsBaselineIsFlagged() {
        List<Second> history = steady(120, 100, 2, 5.0);
        history.addAll(steady(10, 100, 30, 5.0));
        List<ConsoleAlerts.Alert> alerts = ConsoleAlerts.evaluate(history, CALM);
        assertEquals(1, alerts.size(), alerts.toString());
        assertEquals("DECLINE_RATE", alerts.get(0).code());
        assertEquals(
                "decline rate 30% in the last 10 s, baseline 2%", alerts.get(0).message());

        List<Second> mild = steady(120, 100, 2, 5.0);
        mild.addAll(steady(10, 100, 5, 5.0));
        assertEquals(List.of(), ConsoleAlerts.evaluate(mild, CALM), "5% against 2% is drift, not far above");
        assertEquals(List.of(), ConsoleAlerts.evaluate(steady(10, 1, 1, 5.0), CALM), "ten decisions say nothing");
        List<Second> fresh = steady(5, 10, 0, 5.0);
        fresh.addAll(steady(10, 100, 30, 5.0));
        assertEquals(List.of(), ConsoleAlerts.evaluate(fresh, CALM), "fifty decisions are no baseline");
        List<Second> fromNothing = steady(120, 100, 0, 5.0);
        fromNothing.addAll(steady(10, 100, 12, 5.0));
        assertEquals(
                List.of("DECLINE_RATE"),
                ConsoleAlerts.evaluate(fromNothing, CALM).stream()
                        .map(ConsoleAlerts.Alert::code)
                        .toList(),
                "from no declines at all, 12% is far above");
    }

    @Test
    void aP99FarAboveItsBaselineIsFlaggedButNotOneSlowSecond() {
        List<Second> history = steady(120, 100, 2, 5.0);
        history.addAll(steady(10, 100, 2, 60.0));
        List<ConsoleAlerts.Alert> alerts = ConsoleAlerts.evaluate(history, CALM);
        assertEquals(
                List.of("P99_LATENCY"),
                alerts.stream().map(ConsoleAlerts.Alert::code).toList());
        assertTrue(alerts.get(0).message().contains("60.0 ms")
                && alerts.get(0).message().contains("baseline 5.0 ms"));

        List<Second> blip = steady(125, 100, 2, 5.0);
        blip.addAll(steady(1, 100, 2, 500.0));
        blip.addAll(steady(4, 100, 2, 5.0));
        assertEquals(List.of(), ConsoleAlerts.evaluate(blip, CALM));
        assertEquals(List.of(), ConsoleAlerts.evaluate(steady(10, 100, 2, 60.0), CALM), "no baseline, no drift");
    }

    @Test
    void serverErrorsAreFlagged() {
        List<Second> history = steady(20, 100, 2, 5.0);
        history.add(new Second(0, 1, decisions(10, 0), 100, Map.of(503, 80L, 400, 5L), Map.of(), Map.of(), 1, 0, 0, 0));
        assertEquals(
                List.of("SERVER_ERRORS"),
                ConsoleAlerts.evaluate(history, CALM).stream()
                        .map(ConsoleAlerts.Alert::code)
                        .toList());
    }

    private static List<String> codes(PipelineGauges.Levels levels) {
        return ConsoleAlerts.evaluate(List.of(), levels).stream()
                .map(a -> a.level() + " " + a.code())
                .toList();
    }

    private static PipelineGauges.Levels levels(
            int inFlight, int capacity, String breaker, boolean up, List<Integer> writers) {
        return new PipelineGauges.Levels(0, capacity, inFlight, capacity, writers, capacity, breaker, -1, up, 1, 4);
    }

    /** Seconds of {@code decided} decisions of which {@code declined} declined, at an end-to-end p99. */
    private static List<Second> steady(int seconds, long decided, long declined, double p99) {
        List<Second> out = new ArrayList<>();
        for (int i = 0; i < seconds; i++) {
            out.add(new Second(
                    i * 1000L,
                    1,
                    decisions(decided - declined, declined),
                    decided,
                    Map.of(),
                    Map.of(),
                    Map.of("end_to_end", new Quantiles(p99 / 2, p99, p99 * 1.5)),
                    1,
                    0,
                    0,
                    0));
        }
        return out;
    }

    private static Map<DecisionStatus, Long> decisions(long approved, long declined) {
        Map<DecisionStatus, Long> m = new EnumMap<>(DecisionStatus.class);
        for (DecisionStatus s : DecisionStatus.values()) m.put(s, 0L);
        m.put(DecisionStatus.APPROVED, approved);
        m.put(DecisionStatus.DECLINED, declined);
        return m;
    }
}
