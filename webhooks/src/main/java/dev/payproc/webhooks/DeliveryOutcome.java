package dev.payproc.webhooks;

import java.util.Locale;

/**
 * How one attempt ended, as stored: {@code DELIVERED} (2xx), {@code FAILED} (any other status), {@code TIMEOUT}
 * (no connection or answer in time), {@code ERROR} (the connection failed), {@code PARKED} (the last attempt failed
 * too: the event is parked), {@code RESENT} (a parked event accepted on re-send).
 */
public enum DeliveryOutcome {
    DELIVERED,
    FAILED,
    TIMEOUT,
    ERROR,
    PARKED,
    RESENT;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    public boolean accepted() {
        return this == DELIVERED || this == RESENT;
    }
}
