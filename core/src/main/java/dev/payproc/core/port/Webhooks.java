package dev.payproc.core.port;

import io.vertx.core.Future;
import java.time.Instant;
import java.util.List;

/**
 * Merchants' webhook endpoints as the admin API and the merchants' own routes see them: registration (validated,
 * the secret shown once), listing without secrets, disabling, the delivery attempts, re-sending a parked event and
 * replaying from a sequence. Delivery itself runs elsewhere, off the request path.
 */
public interface Webhooks {
    /** An endpoint and its delivery cursor; never its secret. {@code head} is its merchant's newest feed sequence. */
    record Endpoint(
            String id,
            String merchantId,
            String url,
            List<String> eventTypes,
            Instant createdAt,
            Instant disabledAt,
            long deliveredSeq,
            long head,
            int attempts,
            Instant nextAttemptAt,
            long parked) {
        /** Events committed after the cursor: still to deliver or skip. */
        public long backlog() {
            return Math.max(0, head - deliveredSeq);
        }
    }

    /** What a registration came to. */
    sealed interface Registration {}

    /** Stored; {@code secret} exists only in this answer. */
    record Registered(Endpoint endpoint, String secret) implements Registration {}

    /** Refused for one field, with a sentence that never echoes the input; nothing stored. */
    record Refused(String field, String message) implements Registration {}

    /** No such merchant; nothing stored. */
    record UnknownMerchant() implements Registration {}

    /** One delivery attempt; {@code error} is short and bounded, never a secret or a response body. */
    record Attempt(
            long feedSeq,
            int attempt,
            boolean resend,
            Instant startedAt,
            long durationMillis,
            Integer httpStatus,
            String outcome,
            String error) {}

    Future<Registration> register(String merchantId, String url, List<String> eventTypes);

    /** Every endpoint, or the merchant's ({@code merchantId} not null), oldest first. */
    Future<List<Endpoint>> list(String merchantId);

    /** The endpoint, or null when unknown. */
    Future<Endpoint> get(String id);

    /** Disables it (idempotent: the first time is kept); null when unknown. */
    Future<Endpoint> disable(String id);

    /** The newest {@code limit} attempts, newest first. */
    Future<List<Attempt>> attempts(String id, int limit);

    /** Asks for one more delivery of a parked event; false when that event of this endpoint is not parked. */
    Future<Boolean> resend(String id, long feedSeq);

    /**
     * Moves the cursor back (or forward) to {@code after}, so every event after it is delivered again in order;
     * {@code after} must be at most the merchant's head (the caller checks, this refuses beyond it with null).
     */
    Future<Endpoint> replay(String id, long after);
}
