package dev.payproc.bench.faults.verdict;

/**
 * A retry run of the fault driver: how many keys had no answer or a 5xx last and were resent with the same key and
 * body, in how many rounds, how many still had none after the last, and the outcomes of the resent requests.
 */
public record RetryFigures(long retried, long rounds, long stillFailed, OutcomeFigures outcomes) {

    public String line() {
        return "retried=" + retried + " rounds=" + rounds + " still_failed=" + stillFailed + " " + outcomes.line();
    }

    public static RetryFigures parse(Figures f) {
        return new RetryFigures(
                f.count("retried"), f.count("rounds"), f.count("still_failed"), OutcomeFigures.parse(f));
    }
}
