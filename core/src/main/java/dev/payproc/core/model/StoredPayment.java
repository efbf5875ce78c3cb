package dev.payproc.core.model;

import java.util.List;

/** A payment as read back from the ledger: its current state and every event that led there. */
public record StoredPayment(Payment payment, String status, List<PaymentEvent> events) {
    public StoredPayment {
        events = List.copyOf(events);
    }
}
