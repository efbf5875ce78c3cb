package dev.payproc.bench.faults.verdict;

import static dev.payproc.bench.faults.verdict.Figures.oneDecimal;

/**
 * PostgreSQL stopped for 15 s under load: the processor fails fast (503 unavailable with Retry-After, nothing hangs
 * past 6 s), is not ready throughout, holds its heap, and recovers without a restart; retries of what failed all end
 * answered, and the audit finds everything acknowledged committed once.
 */
public final class DatabaseOutageVerdict {
    private DatabaseOutageVerdict() {}

    /** {@code survived}: the processor that saw the outage still runs, never restarted. */
    public static Verdict judge(
            LoadFigures load, RetryFigures retry, AuditFigures audit, boolean survived, long heapBoundMb) {
        OutcomeFigures o = load.outcomes();
        MonitorFigures m = load.monitor();
        return new Verdict.Criteria()
                .require(o.unavailable() > 0, "no 503 unavailable while the database was down")
                .require(
                        o.other() == 0 && o.streamErrors() == 0 && o.refusedErrors() == 0,
                        "answers other than 201/503 or transport errors")
                .require(o.noRetryAfter() == 0, "503 without Retry-After")
                .require(o.slow() == 0 && load.unfinished() == 0, "requests slower than 6 s")
                .require(
                        m.readyDown() == m.readySamples() && m.readySamples() > 0,
                        "/health/ready not 503 throughout the outage")
                .require(load.heap().within(heapBoundMb), "heap held above " + heapBoundMb + " MB")
                .require(o.first201AfterClearMs() >= 0, "no 201 after the database returned")
                .require(survived, "the processor did not survive")
                .require(retry.stillFailed() == 0, "retries still failing")
                .audit(audit)
                .verdict(
                        "database outage",
                        audit.acknowledged() + " acknowledged, " + audit.found() + " found, " + audit.duplicated()
                                + " duplicated; "
                                + o.unavailable() + " answered 503 unavailable (p99 while degraded "
                                + oneDecimal(o.p99DegradedMs())
                                + " ms, max " + oneDecimal(o.maxDegradedMs()) + " ms, " + o.slow() + " over 6 s, "
                                + o.noRetryAfter()
                                + " without Retry-After); ready 503 in " + m.readyDown() + "/" + m.readySamples()
                                + " samples; recovery without restart: first 201 " + o.first201AfterClearMs()
                                + " ms and ready "
                                + m.readyBackMs() + " ms after PostgreSQL was back; "
                                + load.heap().describe(heapBoundMb) + "; "
                                + audit.inDoubt() + " committed although answered 503 (replayed on retry); "
                                + retry.retried()
                                + " retried, " + retry.stillFailed() + " still failing; reconciliation "
                                + audit.reconciliation(),
                        "load: " + load.line() + "; audit: " + audit.line());
    }
}
