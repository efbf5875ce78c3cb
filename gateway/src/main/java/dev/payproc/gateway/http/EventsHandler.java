package dev.payproc.gateway.http;

import dev.payproc.core.model.Errors;
import dev.payproc.core.model.Reply;
import dev.payproc.core.port.EventFeed;
import dev.payproc.gateway.auth.ApiKeyAuthenticator;
import dev.payproc.gateway.codec.FeedJson;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code GET /v1/events?after=SEQ&limit=N&wait=SECONDS}: the key's merchant's events after {@code after}, in feed
 * order. An empty page at the head waits up to {@code wait} seconds for the next commit ({@link FeedWaiters}).
 */
public final class EventsHandler {
    public static final int DEFAULT_LIMIT = 100;
    public static final int MAX_LIMIT = 1000;
    public static final int MAX_WAIT_SECONDS = 30;

    private static final Reply TOO_MANY_WAITING = Errors.retryLater(
            503, "overloaded", "too many requests are waiting for events; retry shortly (or without wait)", 1);
    private static final Reply MERCHANT_WAITING = Errors.retryLater(
            429, "rate_limited", "this merchant has too many requests waiting for events; retry shortly", 1);

    private final ApiKeyAuthenticator authenticator;
    private final EventFeed feed;
    private final FeedWaiters waiters;

    public EventsHandler(ApiKeyAuthenticator authenticator, EventFeed feed, FeedWaiters waiters) {
        this.authenticator = authenticator;
        this.feed = feed;
        this.waiters = waiters;
    }

    /** The query as validated: the cursor, the page size, how long an empty page may wait. */
    record Query(long after, int limit, int waitSeconds) {}

    public void events(RoutingContext ctx) {
        MerchantAuth.resolve(ctx, authenticator, merchantId -> {
            Query q = query(ctx);
            if (q != null) read(ctx, merchantId, q, false);
        });
    }

    /** The query parameters, or null after answering 400 naming the one at fault. */
    static Query query(RoutingContext ctx) {
        Long after = number(ctx, "after", 0, Long.MAX_VALUE, 0, "a whole number of 0 or more");
        if (after == null) return null;
        Long limit = number(ctx, "limit", 1, MAX_LIMIT, DEFAULT_LIMIT, "a whole number from 1 to " + MAX_LIMIT);
        if (limit == null) return null;
        Long wait =
                number(ctx, "wait", 0, MAX_WAIT_SECONDS, 0, "a whole number of seconds from 0 to " + MAX_WAIT_SECONDS);
        if (wait == null) return null;
        return new Query(after, limit.intValue(), wait.intValue());
    }

    private static Long number(RoutingContext ctx, String name, long min, long max, long absent, String what) {
        var values = ctx.queryParams().getAll(name);
        if (values.isEmpty()) return absent;
        String v = values.size() == 1 ? values.get(0) : null;
        long n;
        try {
            if (v == null || v.isEmpty() || !v.chars().allMatch(c -> c >= '0' && c <= '9'))
                throw new NumberFormatException();
            n = Long.parseLong(v);
        } catch (NumberFormatException e) {
            n = -1;
        }
        if (n < min || n > max) {
            Responses.error(ctx, 400, "invalid_request", name + " must be " + what + ", given once", name);
            return null;
        }
        return n;
    }

    /** Reads the page and answers it, unless it is empty at the head and may wait ({@code last}: no more waiting). */
    private void read(RoutingContext ctx, String merchantId, Query q, boolean last) {
        feed.page(merchantId, q.after(), q.limit())
                .onSuccess(page -> {
                    boolean empty = page.events().isEmpty();
                    // A cursor beyond the head is answered at once: waiting would not make it valid.
                    if (!empty || q.waitSeconds() == 0 || q.after() != page.head() || last) {
                        Responses.send(ctx, Reply.of(200, FeedJson.page(page, q.after())));
                    } else {
                        await(ctx, merchantId, q);
                    }
                })
                .onFailure(e -> MerchantAuth.unavailable(ctx, "feed read", e));
    }

    /** Waits on this request's loop for a wake-up or the deadline; the last read answers whatever it finds. */
    private void await(RoutingContext ctx, String merchantId, Query q) {
        Context loop = Vertx.currentContext();
        Vertx vertx = loop.owner();
        boolean[] done = {false}; // answered (or the client gone)
        boolean[] reading = {false};
        FeedWaiters.Waiter[] self = new FeedWaiters.Waiter[1];
        long[] timer = new long[1];
        Runnable finish = () -> {
            done[0] = true;
            waiters.remove(merchantId, self[0]);
            vertx.cancelTimer(timer[0]);
        };
        Runnable wake = () -> {
            if (done[0] || reading[0]) return;
            reading[0] = true;
            feed.page(merchantId, q.after(), q.limit()).onComplete(ar -> {
                reading[0] = false;
                if (done[0]) return;
                if (ar.failed()) {
                    finish.run();
                    MerchantAuth.unavailable(ctx, "feed read", ar.cause());
                } else if (!ar.result().events().isEmpty()) {
                    finish.run();
                    Responses.send(ctx, Reply.of(200, FeedJson.page(ar.result(), q.after())));
                }
            });
        };
        self[0] = new FeedWaiters.Waiter(q.after(), loop, wake);
        FeedWaiters.Refusal refused = waiters.add(merchantId, self[0]);
        if (refused != null) {
            Responses.send(ctx, refused == FeedWaiters.Refusal.FULL ? TOO_MANY_WAITING : MERCHANT_WAITING);
            return;
        }
        timer[0] = vertx.setTimer(q.waitSeconds() * 1000L, id -> {
            if (done[0]) return;
            finish.run();
            read(ctx, merchantId, q, true);
        });
        ctx.response().closeHandler(v -> {
            if (!done[0]) finish.run();
        });
        // A commit between the first read and the registration woke nobody: look once more.
        wake.run();
    }
}
