package dev.payproc.ledger.commit;

import dev.payproc.core.model.Payment;
import dev.payproc.core.model.StoredPayment;
import java.util.List;

/**
 * How answers are rendered (the gateway's JSON codec). Writers render before they commit because the
 * answer is stored with the idempotency key, in the same statement, and replayed byte for byte.
 */
public interface PaymentRenderer {
    /** An authorization's answer as it is sent now. */
    String authorization(Payment payment);

    /**
     * The authorization's answer in every rendering it may have been sent in, the current one first (a stored
     * answer is only a digest, so a replay renders it again and sends the rendering whose digest matches).
     */
    List<String> authorizationRenderings(Payment payment);

    String payment(StoredPayment payment);
}
