package dev.payproc.core.model;

/**
 * The mutable part of a payment, as the lifecycle state machine reads and writes it. {@code disputedAmount} is what
 * open, accepted and lost disputes hold of the captured money: refunds and disputes together never exceed it.
 */
public record PaymentState(
        String status,
        long amount,
        long capturedAmount,
        long refundedAmount,
        CaptureMode captureMode,
        int lastEventSeq,
        long disputedAmount) {

    /** A payment without disputes. */
    public PaymentState(
            String status, long amount, long capturedAmount, long refundedAmount, CaptureMode captureMode, int seq) {
        this(status, amount, capturedAmount, refundedAmount, captureMode, seq, 0);
    }

    /** Captured money neither refunded nor disputed: what a refund or a new dispute may still take. */
    public long undisputedRemainder() {
        return capturedAmount - refundedAmount - disputedAmount;
    }
}
