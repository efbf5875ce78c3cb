package dev.payproc.bench.faults.verdict;

import static dev.payproc.bench.faults.verdict.Figures.oneDecimal;

/**
 * What the driver's requests of one run got: answers by kind, transport failures, goodput and latencies (client side,
 * milliseconds; from each request's intended send time in the open model). "Steady" counts the requests due after
 * the first third of the run (overload after its onset); "degraded" those sent while the fault was on.
 */
public record OutcomeFigures(
        long sent,
        long created,
        long replayed,
        long overloaded,
        long unavailable,
        long noRetryAfter,
        long other,
        long refusedErrors,
        long streamErrors,
        long goodput,
        double p99Ms,
        double maxMs,
        double p99CreatedMs,
        double p99RejectedMs,
        double p99CreatedSteadyMs,
        double p99RejectedSteadyMs,
        long degraded,
        double p99DegradedMs,
        double maxDegradedMs,
        long slow,
        long first201AfterClearMs) {

    public String line() {
        return "sent=" + sent + " s201=" + created + " s200=" + replayed + " overloaded=" + overloaded
                + " unavailable=" + unavailable + " no_retry_after=" + noRetryAfter + " other=" + other
                + " refused_err=" + refusedErrors + " stream_err=" + streamErrors + " tput_201=" + goodput
                + " p99_ms=" + oneDecimal(p99Ms) + " max_ms=" + oneDecimal(maxMs)
                + " p99_201_ms=" + oneDecimal(p99CreatedMs) + " p99_503_ms=" + oneDecimal(p99RejectedMs)
                + " p99_201_steady_ms=" + oneDecimal(p99CreatedSteadyMs) + " p99_503_steady_ms="
                + oneDecimal(p99RejectedSteadyMs)
                + " degraded=" + degraded + " p99_degraded_ms=" + oneDecimal(p99DegradedMs)
                + " max_degraded_ms=" + oneDecimal(maxDegradedMs) + " slow=" + slow
                + " first201_after_ms=" + first201AfterClearMs;
    }

    public static OutcomeFigures parse(Figures f) {
        return new OutcomeFigures(
                f.count("sent"),
                f.count("s201"),
                f.count("s200"),
                f.count("overloaded"),
                f.count("unavailable"),
                f.count("no_retry_after"),
                f.count("other"),
                f.count("refused_err"),
                f.count("stream_err"),
                f.count("tput_201"),
                f.number("p99_ms"),
                f.number("max_ms"),
                f.number("p99_201_ms"),
                f.number("p99_503_ms"),
                f.number("p99_201_steady_ms"),
                f.number("p99_503_steady_ms"),
                f.count("degraded"),
                f.number("p99_degraded_ms"),
                f.number("max_degraded_ms"),
                f.count("slow"),
                f.count("first201_after_ms"));
    }
}
