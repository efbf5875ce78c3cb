package dev.payproc.webhooks;

/**
 * Delivery settings: {@code concurrency} deliveries in flight at most (one per endpoint), {@code timeoutMillis} to
 * connect and again for the whole answer, and when failed events are tried again.
 */
public record WebhookSettings(int concurrency, long timeoutMillis, DeliveryBackoff backoff) {
    public WebhookSettings {
        if (concurrency < 1) throw new IllegalArgumentException("WEBHOOK_CONCURRENCY must be at least 1");
        if (timeoutMillis < 1) throw new IllegalArgumentException("WEBHOOK_TIMEOUT_MS must be at least 1");
    }

    /**
     * How long a claim holds an endpoint: longer than any delivery (connect and answer) with room for its commit, so
     * a live process never loses it mid-delivery, and a killed one's endpoints are taken over soon after.
     */
    public long leaseMillis() {
        return deliveryBoundMillis() + 2_000;
    }

    /** The longest one delivery may take, whatever the receiver does: connecting, then its whole answer. */
    public long deliveryBoundMillis() {
        return 2 * timeoutMillis;
    }
}
