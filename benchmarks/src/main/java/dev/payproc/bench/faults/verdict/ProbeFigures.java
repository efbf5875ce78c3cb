package dev.payproc.bench.faults.verdict;

/** The closed-loop maximum a run probed (answers 201 a second) and the rate it then offered. */
public record ProbeFigures(long probedMax, long offered) {

    public String line() {
        return "probed_max=" + probedMax + " offered=" + offered;
    }

    public static ProbeFigures parse(Figures f) {
        return new ProbeFigures(f.count("probed_max"), f.count("offered"));
    }
}
