package dev.payproc.core.model;

import java.time.Instant;

/** A decided authorization as it is committed and answered; {@code feeAmount} is what the merchant was charged. */
public record Payment(
        String id,
        Authorization authorization,
        Decision decision,
        String authCode,
        long capturedAmount,
        long refundedAmount,
        Instant createdAt,
        long feeAmount) {

    /** The payment created by deciding an authorization: a sale captures its full amount when approved. */
    public static Payment decided(
            String id, Authorization auth, Decision decision, String authCode, Instant createdAt) {
        long captured = decision.status().approvesFunds() && auth.capture() == CaptureMode.AUTO ? auth.amount() : 0;
        return new Payment(id, auth, decision, authCode, captured, 0, createdAt, 0);
    }

    public Payment withFee(long fee) {
        return new Payment(id, authorization, decision, authCode, capturedAmount, refundedAmount, createdAt, fee);
    }

    public DecisionStatus status() {
        return decision.status();
    }
}
