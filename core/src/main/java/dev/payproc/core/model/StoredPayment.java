package dev.payproc.core.model;

import java.util.List;

/**
 * A payment as read back from the ledger: its current state, every event that led there, and what its open, accepted
 * and lost disputes hold of the captured money.
 */
public record StoredPayment(Payment payment, String status, List<PaymentEvent> events, long disputedAmount) {
    public StoredPayment {
        events = List.copyOf(events);
    }
}
