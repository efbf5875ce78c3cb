package dev.payproc.bench.faults.verdict;

import static dev.payproc.bench.faults.verdict.Figures.oneDecimal;

import java.util.Locale;

/**
 * Twice the probed closed-loop maximum, open model, behind an admission limit: the excess is refused at once (503
 * overloaded with Retry-After), never more than the limit is admitted, every request is sent and answered, latencies
 * after the onset stay bounded and goodput does not collapse.
 */
public final class OverloadVerdict {
    /** Below this the probe found nothing to double: the run did not happen as designed. */
    private static final long LEAST_MAXIMUM = 10;

    private OverloadVerdict() {}

    /**
     * Admitted requests wait behind at most {@code admissionLimit} others: Little's law gives limit/throughput;
     * allowed twice that plus a second, since at twice the maximum both cores are saturated before admission
     * (HTTP/2, decoding). Refusals skip the queue: same bound. Whole milliseconds.
     */
    static long latencyBoundMs(long admissionLimit, long probedMax) {
        return 2000 * admissionLimit / probedMax + 1000;
    }

    /** @throws IllegalArgumentException when the run was not a probed overload through the Netty sender */
    public static Verdict judge(LoadFigures load, AuditFigures audit, long admissionLimit, long heapBoundMb) {
        if (load.probe() == null || load.flood() == null)
            throw new IllegalArgumentException("not a probed flood run: " + load.line());
        long max = load.probe().probedMax();
        if (max < LEAST_MAXIMUM)
            throw new IllegalArgumentException("the probe found no throughput to double: " + load.line());
        long bound = latencyBoundMs(admissionLimit, max);
        OutcomeFigures o = load.outcomes();
        MonitorFigures m = load.monitor();
        return new Verdict.Criteria()
                .require(o.overloaded() > 0, "no 503 overloaded")
                .require(
                        o.other() == 0 && o.unavailable() == 0 && o.streamErrors() == 0 && o.refusedErrors() == 0,
                        "answers other than 201/503 overloaded")
                .require(m.inFlightPeak() <= admissionLimit, "more than " + admissionLimit + " requests admitted")
                .require(load.unfinished() == 0, "requests never answered")
                .require(load.flood().unsent() == 0, "requests the driver never sent")
                .require(o.noRetryAfter() == 0, "503 without Retry-After")
                .require((long) o.p99CreatedSteadyMs() <= bound, "p99 of admitted requests above " + bound + " ms")
                .require((long) o.p99RejectedSteadyMs() <= bound, "p99 of 503 overloaded above " + bound + " ms")
                .require(o.goodput() >= max / 2, "goodput below half the maximum")
                .require(load.heap().within(heapBoundMb), "heap held above " + heapBoundMb + " MB")
                .audit(audit)
                .verdict(
                        "overload",
                        "max " + max + "/s closed loop (" + load.probe().probeOverloaded()
                                + " x 503 overloaded in the probe), offered "
                                + load.probe().offered() + "/s: goodput "
                                + o.goodput() + "/s, "
                                + o.created() + " x 201 (p99 " + oneDecimal(o.p99CreatedSteadyMs())
                                + " ms after the onset, bound "
                                + bound + " ms; " + oneDecimal(o.p99CreatedMs()) + " ms overall), " + o.overloaded()
                                + " x 503 overloaded (p99 " + oneDecimal(o.p99RejectedSteadyMs())
                                + " ms after the onset, "
                                + oneDecimal(o.p99RejectedMs()) + " ms overall; " + o.noRetryAfter()
                                + " without Retry-After), "
                                + o.unavailable() + " x 503 unavailable, " + o.other() + " other; in flight at most "
                                + m.inFlightPeak() + ", processor-side p99 " + oneDecimal(m.serverP99Ms()) + " ms; "
                                + load.flood().unsent() + " never sent (at most "
                                + load.flood().streamWaitPeak()
                                + " waiting for a stream on a connection); the driver used "
                                + String.format(Locale.ROOT, "%.2f", load.driverCores())
                                + " cores (" + oneDecimal(load.driverCpuUsPerRequest())
                                + " us of CPU a request) and its own event loops ran "
                                + oneDecimal(load.driverLagP99Ms())
                                + " ms late at p99 (a late client delays sending and reading: that"
                                + " counts in the client-side p99 too); "
                                + load.heap().describe(heapBoundMb) + "; "
                                + audit.acknowledged() + " acknowledged, " + audit.found() + " found, "
                                + audit.duplicated()
                                + " duplicated; reconciliation " + audit.reconciliation(),
                        "load: " + load.line() + "; audit: " + audit.line());
    }
}
