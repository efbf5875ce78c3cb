package dev.payproc.gateway.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;

/** A task's answers leave in one flush per connection, at the task's end; outside a task nothing is held. */
class ReplyFlushTest {
    /** Counts the flushes that reach the socket's end of the pipeline. */
    private static final class Flushes extends ChannelOutboundHandlerAdapter {
        int count;

        @Override
        public void flush(ChannelHandlerContext ctx) {
            count++;
            ctx.flush();
        }
    }

    private final EmbeddedChannel a = new EmbeddedChannel();
    private final EmbeddedChannel b = new EmbeddedChannel();
    private final ReplyFlush replies = new ReplyFlush(Runnable::run, a.eventLoop());
    private final Flushes flushesA = new Flushes();

    ReplyFlushTest() {
        replies.install(a);
        a.pipeline().addFirst(flushesA); // nearer the socket than the hold
    }

    @Test
    void aTasksAnswersGoOutInOneFlushAtItsEnd() {
        replies.execute(() -> {
            a.writeAndFlush("first");
            assertNull(a.readOutbound(), "held while the task runs");
            a.writeAndFlush("second");
            a.writeAndFlush("third");
            assertEquals(0, flushesA.count);
        });
        assertEquals(1, flushesA.count);
        assertEquals("first", a.readOutbound());
        assertEquals("second", a.readOutbound());
        assertEquals("third", a.readOutbound());
    }

    @Test
    void outsideATaskAFlushGoesAtOnce() {
        a.writeAndFlush("alone");
        assertEquals("alone", a.readOutbound());
        replies.execute(() -> a.writeAndFlush("in a task"));
        a.writeAndFlush("after");
        assertEquals(3, flushesA.count, "one each: before, for, and after the task");
        assertEquals("in a task", a.readOutbound());
        assertEquals("after", a.readOutbound());
    }

    @Test
    void aConnectionOfAnotherLoopIsNotHeld() {
        replies.install(b); // b has an event loop of its own
        replies.execute(() -> {
            b.writeAndFlush("elsewhere");
            assertEquals("elsewhere", b.readOutbound());
        });
    }

    @Test
    void aTaskThatThrowsStillFlushesWhatItWrote() {
        try {
            replies.execute(() -> {
                a.writeAndFlush("written");
                throw new IllegalStateException("boom");
            });
        } catch (IllegalStateException expected) {
            // the loop reports it; the answer written before it must still leave
        }
        assertEquals("written", a.readOutbound());
    }
}
