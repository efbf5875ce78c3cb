package dev.payproc.core.port;

import dev.payproc.core.model.Reason;
import io.vertx.core.Future;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Each merchant's events in the order they were committed, numbered 1, 2, 3... without a gap (V18). */
public interface EventFeed {
    /**
     * One event as the feed serves it: only what never changes once committed (the event and its payment's creation
     * fields), so a page read again is the same. {@code reasons} are the decision's, on the authorization event only.
     */
    record FeedEvent(
            long seq,
            String type,
            String paymentId,
            int eventSeq,
            String status,
            long amount,
            String currency,
            long paymentAmount,
            String capture,
            String terminalId,
            List<Reason> reasons,
            Instant createdAt) {}

    /** Up to {@code limit} events after {@code after}, in sequence order, and the merchant's newest sequence. */
    record Page(List<FeedEvent> events, long head) {}

    Future<Page> page(String merchantId, long after, int limit);

    /** The newest sequence of each merchant named (0 for one without events), as one read. */
    Future<Map<String, Long>> heads(List<String> merchantIds);
}
