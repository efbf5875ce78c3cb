package dev.payproc.bench.faults.verdict;

import java.util.ArrayList;
import java.util.List;

/**
 * The ledger against every outcome the driver recorded for one phase (scripts/faults.sh's SQL): answers 2xx, and
 * how many of those are committed once with the answered payment id and status; double commits (a key twice, a
 * card twice, one key answered with two payment ids); payments without a key; committed keys never answered 2xx;
 * keys a retry got replayed (committed although unanswered or answered 503); currencies whose postings do not
 * balance; and the HTTP status of GET /admin/reconciliation.
 */
public record AuditFigures(
        long acknowledged,
        long found,
        long duplicated,
        long orphans,
        long unackedCommits,
        long inDoubt,
        long unbalanced,
        int reconciliation) {

    /** What the audit found wrong: empty when everything acknowledged is committed once and the ledger agrees. */
    public List<String> problems() {
        List<String> problems = new ArrayList<>();
        if (found != acknowledged)
            problems.add(
                    "audit: " + (acknowledged - found) + " of " + acknowledged + " acknowledged not found as answered");
        if (duplicated != 0) problems.add("audit: " + duplicated + " committed twice");
        if (orphans != 0) problems.add("audit: " + orphans + " payments without their key");
        if (unackedCommits != 0) problems.add("audit: " + unackedCommits + " committed but never answered 2xx");
        if (unbalanced != 0) problems.add("audit: postings unbalanced in " + unbalanced + " currencies");
        if (reconciliation != 200) problems.add("audit: reconciliation answered " + reconciliation);
        return problems;
    }

    public String line() {
        return "acknowledged=" + acknowledged + " found=" + found + " duplicated=" + duplicated + " orphans=" + orphans
                + " unacked_commits=" + unackedCommits + " in_doubt=" + inDoubt + " unbalanced=" + unbalanced
                + " reconciliation=" + reconciliation;
    }

    public static AuditFigures parse(Figures f) {
        return new AuditFigures(
                f.count("acknowledged"),
                f.count("found"),
                f.count("duplicated"),
                f.count("orphans"),
                f.count("unacked_commits"),
                f.count("in_doubt"),
                f.count("unbalanced"),
                (int) f.count("reconciliation"));
    }
}
