package dev.payproc.gateway.http;

import dev.payproc.core.model.Errors;
import dev.payproc.core.model.Reply;
import dev.payproc.core.port.EventFeed;
import dev.payproc.gateway.auth.ApiKeyAuthenticator;
import dev.payproc.gateway.codec.Decoded;
import dev.payproc.gateway.codec.FeedJson;
import io.vertx.core.Context;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.ext.web.RoutingContext;
import java.util.List;

/**
 * {@code GET /v1/events?after=SEQ&limit=N&wait=SECONDS}: the key's merchant's events after {@code after}, in feed
 * order. An empty page at the head waits up to {@code wait} seconds for the next commit ({@link FeedWaiters}).
 */
public final class EventsHandler {
    public static final int DEFAULT_LIMIT = 100;
    public static final int MAX_LIMIT = 1000;
    public static final int MAX_WAIT_SECONDS = 30;
    private static final String LONG_DIGITS = Long.toString(Long.MAX_VALUE);

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
            Decoded<Query> q = query(ctx.queryParams());
            if (q.isValid()) read(ctx, merchantId, q.value(), false);
            else
                Responses.error(
                        ctx,
                        400,
                        "invalid_request",
                        q.invalid().message(),
                        q.invalid().field());
        });
    }

    /** The query parameters, or the first one at fault (each is optional, and given at most once). */
    static Decoded<Query> query(MultiMap params) {
        Decoded<Long> after = number(params, "after", 0, Long.MAX_VALUE, 0, "a whole number of 0 or more");
        if (!after.isValid())
            return Decoded.invalid(after.invalid().field(), after.invalid().message());
        Decoded<Long> limit =
                number(params, "limit", 1, MAX_LIMIT, DEFAULT_LIMIT, "a whole number from 1 to " + MAX_LIMIT);
        if (!limit.isValid())
            return Decoded.invalid(limit.invalid().field(), limit.invalid().message());
        Decoded<Long> wait = number(
                params, "wait", 0, MAX_WAIT_SECONDS, 0, "a whole number of seconds from 0 to " + MAX_WAIT_SECONDS);
        if (!wait.isValid())
            return Decoded.invalid(wait.invalid().field(), wait.invalid().message());
        return Decoded.ok(
                new Query(after.value(), limit.value().intValue(), wait.value().intValue()));
    }

    private static Decoded<Long> number(MultiMap params, String name, long min, long max, long absent, String what) {
        List<String> values = params.getAll(name);
        if (values.isEmpty()) return Decoded.ok(absent);
        String v = values.size() == 1 ? values.get(0) : "";
        long n = -1;
        // Digits only (no sign, no spaces), and no more than a long holds, so parseLong cannot throw.
        boolean digits = !v.isEmpty() && v.chars().allMatch(c -> c >= '0' && c <= '9');
        if (digits
                && (v.length() < LONG_DIGITS.length()
                        || v.length() == LONG_DIGITS.length() && v.compareTo(LONG_DIGITS) <= 0)) {
            n = Long.parseLong(v);
        }
        if (n < min || n > max) return Decoded.invalid(name, name + " must be " + what + ", given once");
        return Decoded.ok(n);
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
        Runnable answerNow = () -> {
            if (done[0]) return;
            finish.run();
            read(ctx, merchantId, q, true);
        };
        self[0] = new FeedWaiters.Waiter(q.after(), loop, wake, answerNow);
        FeedWaiters.Refusal refused = waiters.add(merchantId, self[0]);
        if (refused == FeedWaiters.Refusal.RELEASED) {
            read(ctx, merchantId, q, true); // stopping: the page as it is, no wait
            return;
        }
        if (refused != null) {
            Responses.send(ctx, refused == FeedWaiters.Refusal.FULL ? TOO_MANY_WAITING : MERCHANT_WAITING);
            return;
        }
        timer[0] = vertx.setTimer(q.waitSeconds() * 1000L, id -> answerNow.run());
        ctx.response().closeHandler(v -> {
            if (!done[0]) finish.run();
        });
        // A commit between the first read and the registration woke nobody: look once more.
        wake.run();
    }
}
