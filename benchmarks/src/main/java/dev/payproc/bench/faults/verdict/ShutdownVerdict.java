package dev.payproc.bench.faults.verdict;

import static dev.payproc.bench.faults.verdict.Figures.oneDecimal;

/**
 * SIGTERM under load: the processor drains and exits 0; every request it took is answered (the ones it refused
 * unprocessed, by GOAWAY or after its exit, may be resent), answers are 201 or 503 with Retry-After, and the audit
 * finds everything acknowledged committed once and nothing committed unanswered.
 */
public final class ShutdownVerdict {
    private ShutdownVerdict() {}

    /** {@code exitStatus} and {@code exitMs}: the processor's, from SIGTERM to its exit. */
    public static Verdict judge(LoadFigures load, AuditFigures audit, int exitStatus, long exitMs) {
        OutcomeFigures o = load.outcomes();
        return new Verdict.Criteria()
                .require(exitStatus == 0, "exit status " + exitStatus)
                .require(o.streamErrors() == 0 && load.unfinished() == 0, "requests sent but never answered")
                .require(o.other() == 0 && o.noRetryAfter() == 0, "answers other than 201/503 with Retry-After")
                .audit(audit)
                .verdict(
                        "graceful shutdown",
                        "exit " + exitStatus + " after " + exitMs + " ms; " + o.created() + " x 201, " + o.overloaded()
                                + "+"
                                + o.unavailable() + " x 503, " + o.streamErrors() + " unanswered, " + o.refusedErrors()
                                + " refused unprocessed (GOAWAY or after exit); " + audit.acknowledged()
                                + " acknowledged, "
                                + audit.found() + " found, " + audit.duplicated() + " duplicated, "
                                + audit.unackedCommits()
                                + " committed without a 201; p99 while degraded " + oneDecimal(o.p99DegradedMs())
                                + " ms; reconciliation " + audit.reconciliation(),
                        "load: " + load.line() + "; audit: " + audit.line());
    }
}
