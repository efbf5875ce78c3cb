package dev.payproc.risk;

import dev.payproc.core.model.EntryMode;

/**
 * One decided authorization read back from the ledger to rebuild risk state at start ({@link RiskEngine#replay}).
 * {@code approved} is whether the decision approved funds ({@link #approvedFunds}); {@code atMillis} is the
 * decision time, which the risk stage stores as the payment's {@code created_at}.
 */
public record HistoricalAttempt(
        String cardFingerprint,
        String merchantId,
        String terminalId,
        long amount,
        String currency,
        String merchantCountry,
        EntryMode entryMode,
        boolean approved,
        long atMillis) {
    /**
     * Whether a payment now in ledger {@code status} was approved when decided: all but DECLINED and CHALLENGE
     * began as APPROVED or REVIEW. A later void, refund or expiry does not count: live decisions never take
     * spend back either, so the rebuilt state is the one the engine had.
     */
    public static boolean approvedFunds(String status) {
        return !status.equals("DECLINED") && !status.equals("CHALLENGE");
    }
}
