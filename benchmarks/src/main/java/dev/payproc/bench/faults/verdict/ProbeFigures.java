package dev.payproc.bench.faults.verdict;

/**
 * The closed-loop maximum a run probed (answers 201 a second), the rate it then offered, and how many of the probe's
 * requests were refused 503 overloaded: a probe that admission throttled reads low, and so does the bar it sets.
 */
public record ProbeFigures(long probedMax, long offered, long probeOverloaded) {

    public String line() {
        return "probed_max=" + probedMax + " offered=" + offered + " probe_overloaded=" + probeOverloaded;
    }

    public static ProbeFigures parse(Figures f) {
        return new ProbeFigures(
                f.count("probed_max"), f.count("offered"), f.has("probe_overloaded") ? f.count("probe_overloaded") : 0);
    }
}
