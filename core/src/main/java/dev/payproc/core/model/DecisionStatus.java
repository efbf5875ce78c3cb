package dev.payproc.core.model;

/** The outcome of an authorization. {@code REVIEW} is approved pending review. */
public enum DecisionStatus {
    APPROVED,
    DECLINED,
    CHALLENGE,
    REVIEW;

    /** Whether money is authorized (and, for a sale, captured) by this outcome. */
    public boolean approvesFunds() {
        return this == APPROVED || this == REVIEW;
    }
}
