package dev.payproc.core.port;

import io.vertx.core.Future;
import java.time.LocalDate;
import java.util.List;

/** Merchants' days: what they captured and refunded, and the runs that pay it out. */
public interface Settlements {
    /**
     * One currency of a merchant's day. {@code settlementId} is null until a run has settled the day. Disputes opened
     * take their amount from the merchant's payable, those won give it back, those lost (or accepted) leave it with the
     * cardholder (their fees are in {@code feeAmount}).
     */
    record CurrencyTotals(
            String currency,
            long captureCount,
            long captureAmount,
            long refundCount,
            long refundAmount,
            long feeAmount,
            long disputeCount,
            long disputeAmount,
            long disputeWonAmount,
            long disputeLostAmount,
            String settlementId,
            Long settledNet) {
        public long net() {
            return captureAmount - feeAmount - refundAmount - disputeAmount + disputeWonAmount;
        }
    }

    record Report(String merchantId, LocalDate date, List<CurrencyTotals> currencies, List<String> paymentIds) {}

    /** A settlement created by a run. */
    record Settlement(String id, String merchantId, String currency, long net) {}

    Future<Report> report(String merchantId, LocalDate date);

    /** Settles the day for one merchant, or every merchant when {@code merchantId} is null; once per currency. */
    Future<List<Settlement>> run(LocalDate date, String merchantId);
}
