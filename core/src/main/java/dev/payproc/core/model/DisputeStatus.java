package dev.payproc.core.model;

/**
 * Where a dispute stands. OPEN and EVIDENCE_SUBMITTED hold the disputed money in the dispute account; ACCEPTED (the
 * merchant conceded) and LOST returned it to the cardholder; WON returned it to the merchant.
 */
public enum DisputeStatus {
    OPEN,
    EVIDENCE_SUBMITTED,
    ACCEPTED,
    WON,
    LOST;

    /** Still undecided: the money sits in the dispute account. */
    public boolean pending() {
        return this == OPEN || this == EVIDENCE_SUBMITTED;
    }
}
