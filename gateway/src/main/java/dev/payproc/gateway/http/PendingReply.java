package dev.payproc.gateway.http;

import dev.payproc.core.model.Reply;
import dev.payproc.core.model.ReplySink;
import io.vertx.ext.web.RoutingContext;

import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The gateway's end of an admitted request: stages answer through it on the request's own event loop.
 * Answering releases the request's admission slot, so every admitted request is counted out exactly once.
 */
final class PendingReply implements ReplySink {
    private final RoutingContext ctx;
    private final Executor loop;
    private final AtomicInteger inFlight;

    PendingReply(RoutingContext ctx, Executor loop, AtomicInteger inFlight) {
        this.ctx = ctx;
        this.loop = loop;
        this.inFlight = inFlight;
    }

    @Override
    public Executor executor() {
        return loop;
    }

    @Override
    public void send(Reply reply) {
        inFlight.decrementAndGet();
        Responses.send(ctx, reply);
    }
}
