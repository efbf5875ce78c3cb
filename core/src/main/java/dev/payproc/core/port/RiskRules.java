package dev.payproc.core.port;

import java.util.List;
import java.util.Map;

/**
 * The risk engine's rule sets, administered: the one in force, checked candidates put in force, run in shadow on
 * live traffic, or backtested on stored authorizations. Candidates are opaque here: only the risk engine reads them.
 */
public interface RiskRules {
    /** A rule set that passed every check; {@code document} is its canonical rendering. */
    interface Candidate {
        int version();

        String document();
    }

    /**
     * One thing wrong with a rule set: {@code field} is the JSON path at fault ({@code velocity.card.limit},
     * {@code merchants.m-1.scoreBands.review}), or null when the document as a whole is at fault.
     */
    record Violation(String field, String message) {}

    /** A checked document: a candidate, or every violation (never both). */
    record Checked(Candidate candidate, List<Violation> violations) {}

    /** What a candidate decided differently from the decisions it was compared with. */
    record Comparison(
            int candidateVersion,
            long compared,
            long changed,
            Map<String, Long> transitions,
            Map<String, Long> rulesAdded,
            Map<String, Long> rulesRemoved) {}

    /** The version of the rule set in force. */
    int version();

    /** The rule set in force, rendered as a document. */
    String document();

    Checked check(String document);

    /** Swaps the candidate into every shard between two decisions. */
    void putInForce(Candidate candidate);

    /** Starts deciding live traffic with the candidate too (replacing any shadow), or stops with null. */
    void shadow(Candidate candidate);

    /** The running shadow's comparison so far, or null when none runs. */
    Comparison shadowReport();

    /** Decides the attempts again, in order, with the candidate and a fresh history. CPU-bound: not on an event loop. */
    Comparison backtest(Candidate candidate, List<DecisionHistory.DecidedAttempt> attempts);
}
