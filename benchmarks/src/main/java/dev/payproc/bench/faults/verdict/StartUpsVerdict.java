package dev.payproc.bench.faults.verdict;

/** Every processor start-up of the run (first start, restarts after a crash or a scenario) succeeded first time. */
public final class StartUpsVerdict {
    private StartUpsVerdict() {}

    public static Verdict judge(long failed, long starts) {
        return new Verdict.Criteria()
                .require(failed == 0, failed + " start-ups failed")
                .verdict("start-ups", failed + " of " + starts + " processor start-ups failed", "");
    }
}
