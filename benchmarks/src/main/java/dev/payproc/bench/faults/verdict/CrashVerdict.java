package dev.payproc.bench.faults.verdict;

import static dev.payproc.bench.faults.verdict.Figures.oneDecimal;

/**
 * kill -9 under load, restart at once, then the driver resends what got no answer or a 5xx with the same key:
 * everything acknowledged is committed once, every retry ends answered, no other answers, nothing left unanswered,
 * and the restart needed no second start-up.
 */
public final class CrashVerdict {
    private CrashVerdict() {}

    /** {@code recoveryMs}: from the kill's restart to ready; {@code failedStartUps}: start-ups that failed meanwhile. */
    public static Verdict judge(
            int number,
            LoadFigures load,
            RetryFigures retry,
            AuditFigures audit,
            long recoveryMs,
            long failedStartUps) {
        OutcomeFigures o = load.outcomes();
        return new Verdict.Criteria()
                .audit(audit)
                .require(retry.stillFailed() == 0, "retries still failing")
                .require(o.other() == 0, "answers other than 200/201/503")
                .require(load.unfinished() == 0, "requests never answered")
                .require(failedStartUps == 0, "failed start-ups")
                .verdict(
                        "crash #" + number,
                        audit.acknowledged() + " acknowledged, " + audit.found() + " found, " + audit.duplicated()
                                + " duplicated, "
                                + audit.orphans() + " orphans; recovery " + recoveryMs + " ms (restart to ready, "
                                + failedStartUps
                                + " failed start-ups); " + audit.inDoubt()
                                + " committed but unanswered at the crash (answered on retry), "
                                + retry.retried() + " retried, " + retry.stillFailed()
                                + " still failing; p99 while degraded "
                                + oneDecimal(o.p99DegradedMs()) + " ms; reconciliation " + audit.reconciliation(),
                        "load: " + load.line() + "; retry: " + retry.line() + "; audit: " + audit.line());
    }
}
