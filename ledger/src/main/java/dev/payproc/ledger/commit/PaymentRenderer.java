package dev.payproc.ledger.commit;

import dev.payproc.core.model.Payment;
import dev.payproc.core.model.StoredPayment;

/**
 * How answers are rendered (the gateway's JSON codec). Writers render before they commit because the
 * answer is stored with the idempotency key, in the same statement, and replayed byte for byte.
 */
public interface PaymentRenderer {
    String authorization(Payment payment);

    String payment(StoredPayment payment);
}
