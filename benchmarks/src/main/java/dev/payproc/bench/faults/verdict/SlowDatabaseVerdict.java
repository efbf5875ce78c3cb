package dev.payproc.bench.faults.verdict;

import static dev.payproc.bench.faults.verdict.Figures.oneDecimal;

/**
 * Every answer from PostgreSQL late by a delay for 15 s under load. Slow is not down: answers stay 201 (slower, in
 * bigger batches), nothing fails, readiness stays 200, and when the delay ends the processor is back to normal
 * without a restart. The load is {@link SlowDatabaseLoad}: a part of what the writers can commit while slow, so that the
 * scenario tests slowness, not saturation.
 */
public final class SlowDatabaseVerdict {
    private SlowDatabaseVerdict() {}

    /** Each statement waits the delay for its answer, and the batches queued behind it up to one more. */
    static long latencyBoundMs(long delayMs) {
        return 3 * delayMs + 1000;
    }

    /** @throws IllegalArgumentException when {@code offered} was derived for another delay than {@code delayMs} */
    public static Verdict judge(
            LoadFigures load,
            AuditFigures audit,
            SlowDatabaseLoad offered,
            boolean survived,
            long delayMs,
            long heapBoundMb) {
        if (offered.delayMs() != delayMs)
            throw new IllegalArgumentException("the load was derived for a delay of " + offered.delayMs()
                    + " ms, the scenario injected " + delayMs + " ms");
        long bound = latencyBoundMs(delayMs);
        OutcomeFigures o = load.outcomes();
        MonitorFigures m = load.monitor();
        return new Verdict.Criteria()
                .require(
                        o.created() > 0
                                && o.overloaded() == 0
                                && o.unavailable() == 0
                                && o.other() == 0
                                && o.streamErrors() == 0
                                && o.refusedErrors() == 0,
                        "answers other than 201 or transport errors")
                .require(o.slow() == 0 && load.unfinished() == 0, "requests slower than 6 s")
                .require((long) o.p99DegradedMs() <= bound, "p99 while slow above " + bound + " ms")
                .require(m.readyDown() == 0, "/health/ready not 200 while the database was slow")
                .require(o.first201AfterClearMs() >= 0, "no 201 after the delay ended")
                .require(survived, "the processor did not survive")
                .require(load.heap().within(heapBoundMb), "heap held above " + heapBoundMb + " MB")
                .audit(audit)
                .verdict(
                        "slow database",
                        offered.describe() + "; "
                                + audit.acknowledged() + " acknowledged, " + audit.found() + " found, "
                                + audit.duplicated()
                                + " duplicated; "
                                + o.created() + " x 201 and nothing else; p99 while slow "
                                + oneDecimal(o.p99DegradedMs())
                                + " ms (bound " + bound + " ms), max " + oneDecimal(o.maxDegradedMs())
                                + " ms, p99 over the whole run "
                                + oneDecimal(o.p99Ms()) + " ms; ready 503 in " + m.readyDown() + "/" + m.readySamples()
                                + " samples; first 201 " + o.first201AfterClearMs() + " ms after the delay ended; "
                                + load.heap().describe(heapBoundMb) + "; reconciliation " + audit.reconciliation(),
                        "load: " + load.line() + "; offered: " + offered.line() + "; audit: " + audit.line());
    }
}
