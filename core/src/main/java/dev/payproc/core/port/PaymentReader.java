package dev.payproc.core.port;

import dev.payproc.core.model.Reason;
import dev.payproc.core.model.StoredPayment;
import io.vertx.core.Future;
import java.time.Instant;
import java.util.List;

/** Payments read back from the ledger. */
public interface PaymentReader {
    /** A payment the risk engine did not simply approve, as an SRE sees it: masked card and reasons only. */
    record FlaggedPayment(
            String id,
            Instant createdAt,
            String status,
            long amount,
            String currency,
            String maskedPan,
            String merchantId,
            String terminalId,
            int riskScore,
            List<Reason> reasons) {}

    /** The payment with its events, or null when it does not exist or belongs to another merchant. */
    Future<StoredPayment> find(String paymentId, String merchantId);

    /** The newest declined, challenged and reviewed payments, newest first. */
    Future<List<FlaggedPayment>> latestFlagged(int limit);
}
