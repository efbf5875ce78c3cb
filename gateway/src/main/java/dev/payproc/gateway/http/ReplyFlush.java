package dev.payproc.gateway.http;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.EventLoop;
import io.vertx.core.Context;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.net.impl.ConnectionBase;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;

/**
 * An event loop's executor for answers, with one write per connection for all the answers of one task. Vert.x
 * flushes a response written outside a read at once, so a settlement writer's task carrying a batch's answers
 * would cost one write system call per response. Here each task runs with the flushes of this loop's
 * connections held, and at its end every connection that asked is flushed once. No timer: the held flushes
 * happen before the task returns. One per event loop, used only on it.
 */
public final class ReplyFlush implements Executor {
    private final Executor onLoop;
    private final EventLoop loop;
    private final List<Hold> asked = new ArrayList<>();
    private boolean holding;

    public ReplyFlush(Context context) {
        this(task -> context.runOnContext(v -> task.run()), ((ContextInternal) context).nettyEventLoop());
    }

    /** {@code onLoop} runs tasks on {@code loop}, the event loop of the connections this serves. */
    ReplyFlush(Executor onLoop, EventLoop loop) {
        this.onLoop = onLoop;
        this.loop = loop;
    }

    @Override
    public void execute(Runnable task) {
        onLoop.execute(() -> runHolding(task));
    }

    private void runHolding(Runnable task) {
        assert loop.inEventLoop()
                : "answers of " + loop + " run on " + Thread.currentThread().getName();
        holding = true;
        try {
            task.run();
        } finally {
            holding = false;
            for (int i = 0; i < asked.size(); i++) asked.get(i).release();
            asked.clear();
        }
    }

    /** Puts the hold on a connection served by this loop (others, if any, flush as usual). */
    public void install(HttpConnection conn) {
        if (conn instanceof ConnectionBase base) install(base.channel());
    }

    void install(Channel channel) {
        if (channel.eventLoop() == loop) channel.pipeline().addFirst("reply-flush", new Hold());
    }

    /** First in the pipeline (nearest the socket), so every flush of the connection passes through it. */
    private final class Hold extends ChannelOutboundHandlerAdapter {
        private ChannelHandlerContext ctx;
        private boolean pending;

        @Override
        public void handlerAdded(ChannelHandlerContext ctx) {
            this.ctx = ctx;
        }

        @Override
        public void flush(ChannelHandlerContext ctx) {
            if (!holding) {
                ctx.flush();
            } else if (!pending) {
                pending = true;
                asked.add(this);
            }
        }

        void release() {
            pending = false;
            ctx.flush();
        }
    }
}
