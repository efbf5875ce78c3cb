package dev.payproc.core.model;

/**
 * The HTTP answer for one request, decided by a stage and written by the gateway.
 * {@code retryAfterSeconds} is 0 when no {@code Retry-After} header applies.
 */
public record Reply(int status, String body, boolean replayed, int retryAfterSeconds) {
    public static Reply of(int status, String body) {
        return new Reply(status, body, false, 0);
    }
}
