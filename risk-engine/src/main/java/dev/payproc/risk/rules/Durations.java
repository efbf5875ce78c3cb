package dev.payproc.risk.rules;

/** Windows in reason messages: "60s", "30min", "24h". */
final class Durations {
    private Durations() {}

    static String of(long seconds) {
        if (seconds >= 3600 && seconds % 3600 == 0) return seconds / 3600 + "h";
        if (seconds > 120 && seconds % 60 == 0) return seconds / 60 + "min";
        return seconds + "s";
    }
}
