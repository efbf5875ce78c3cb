package dev.payproc.gateway.ops;

import dev.payproc.gateway.ops.ConsoleHistory.Second;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * What the SRE console flags: the database down or its breaker not closed, a queue near full, and the decline
 * rate, the end-to-end p99 or server errors of the last seconds far above the minutes before them.
 */
final class ConsoleAlerts {
    /** {@code level} is {@code critical} or {@code warning}. */
    record Alert(String level, String code, String message) {}

    static final int RECENT_SECONDS = 10;
    static final double NEAR_FULL = 0.8;
    static final double FULL = 0.95;
    /** Fewer decisions or requests than this in the recent seconds say nothing about a rate. */
    static final long MIN_RECENT = 20;
    /** A decline rate needs a baseline of at least this many decisions: a fresh process has nothing to drift from. */
    static final long MIN_BASELINE = 100;
    /** A decline rate is far above its baseline at this many times it and at least this much higher. */
    static final double DECLINE_FACTOR = 3;

    static final double DECLINE_MIN_RISE = 0.10;
    /** Medians of per-second p99s, so one slow second is no alert; this many seconds with traffic are needed. */
    static final int P99_MIN_RECENT_SECONDS = 3;

    static final int P99_MIN_BASELINE_SECONDS = 30;
    static final double P99_FACTOR = 3;
    static final double P99_MIN_RISE_MS = 10;
    static final double SERVER_ERROR_SHARE = 0.05;

    private ConsoleAlerts() {}

    static List<Alert> evaluate(List<Second> history, PipelineGauges.Levels levels) {
        List<Alert> out = new ArrayList<>();
        if (!levels.databaseUp())
            out.add(new Alert("critical", "DATABASE_DOWN", "the database has not answered a ping for 3 s"));
        if (levels.breaker().equals("OPEN")) {
            out.add(new Alert(
                    "critical",
                    "BREAKER_OPEN",
                    "the database circuit breaker is open: authorizations get 503 unavailable"));
        } else if (levels.breaker().equals("HALF_OPEN")) {
            out.add(new Alert(
                    "warning", "BREAKER_HALF_OPEN", "the database circuit breaker is half open: probing the database"));
        }
        fill(out, "in-flight requests", levels.inFlight(), levels.inFlightLimit());
        fill(out, "intake queue", levels.intakeDepth(), levels.intakeCapacity());
        for (int i = 0; i < levels.settlementDepths().size(); i++) {
            fill(out, "settlement queue " + i, levels.settlementDepths().get(i), levels.settlementCapacity());
        }

        int split = Math.max(0, history.size() - RECENT_SECONDS);
        List<Second> baseline = history.subList(0, split);
        List<Second> recent = history.subList(split, history.size());
        ConsoleHistory.Totals now = ConsoleHistory.sum(recent);
        ConsoleHistory.Totals before = ConsoleHistory.sum(baseline);
        if (now.decided() >= MIN_RECENT && before.decided() >= MIN_BASELINE) {
            double rate = (double) now.declined() / now.decided();
            double base = (double) before.declined() / before.decided();
            if (rate >= base * DECLINE_FACTOR && rate >= base + DECLINE_MIN_RISE) {
                out.add(new Alert(
                        "warning",
                        "DECLINE_RATE",
                        String.format(
                                Locale.ROOT,
                                "decline rate %.0f%% in the last %d s, baseline %.0f%%",
                                rate * 100,
                                RECENT_SECONDS,
                                base * 100)));
            }
        }
        double recentP99 = medianP99(recent, P99_MIN_RECENT_SECONDS);
        double baseP99 = medianP99(baseline, P99_MIN_BASELINE_SECONDS);
        if (recentP99 >= baseP99 * P99_FACTOR && recentP99 >= baseP99 + P99_MIN_RISE_MS) {
            out.add(new Alert(
                    "warning",
                    "P99_LATENCY",
                    String.format(
                            Locale.ROOT,
                            "end-to-end p99 %.1f ms in the last %d s, baseline %.1f ms",
                            recentP99,
                            RECENT_SECONDS,
                            baseP99)));
        }
        if (now.requests() >= MIN_RECENT && now.serverErrors() >= now.requests() * SERVER_ERROR_SHARE) {
            out.add(new Alert(
                    "critical",
                    "SERVER_ERRORS",
                    String.format(
                            Locale.ROOT,
                            "%.0f%% of terminal requests answered 5xx in the last %d s",
                            100.0 * now.serverErrors() / now.requests(),
                            RECENT_SECONDS)));
        }
        return out;
    }

    private static void fill(List<Alert> out, String what, int level, int capacity) {
        if (capacity <= 0 || level < capacity * NEAR_FULL) return;
        out.add(new Alert(
                level >= capacity * FULL ? "critical" : "warning",
                "QUEUE_NEAR_FULL",
                what + " at " + level + " of " + capacity + ": new requests will get 503 overloaded"));
    }

    /** The median of the seconds' end-to-end p99, or NaN (no alert) when fewer than {@code min} seconds had traffic. */
    private static double medianP99(List<Second> seconds, int min) {
        double[] p99 = seconds.stream()
                .filter(s -> s.latency().containsKey("end_to_end"))
                .mapToDouble(s -> s.latency().get("end_to_end").p99())
                .toArray();
        if (p99.length < min) return Double.NaN;
        Arrays.sort(p99);
        return p99[p99.length / 2];
    }
}
