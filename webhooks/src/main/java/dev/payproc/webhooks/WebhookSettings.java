package dev.payproc.webhooks;

/**
 * Delivery settings: {@code concurrency} deliveries in flight at most (one per endpoint), {@code timeoutMillis} to
 * connect and between bytes of the answer, and when failed events are tried again.
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
        return 2 * timeoutMillis + 2_000;
    }
}
