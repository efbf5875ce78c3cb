package dev.payproc.gateway.http;

import dev.payproc.core.model.Reply;
import dev.payproc.core.model.ReplySink;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * The gateway's end of an admitted command: stages answer through it on the request's own event loop.
 * Answering releases the command's admission slot, so every admitted command is counted out exactly once,
 * then hands the answer on (to the HTTP response, or to its slot in a batch).
 */
final class PendingReply implements ReplySink {
    private final Executor loop;
    private final Admission admission;
    private final AtomicInteger merchantSlots;
    private final Consumer<Reply> deliver;

    PendingReply(Executor loop, Admission admission, AtomicInteger merchantSlots, Consumer<Reply> deliver) {
        this.loop = loop;
        this.admission = admission;
        this.merchantSlots = merchantSlots;
        this.deliver = deliver;
    }

    @Override
    public Executor executor() {
        return loop;
    }

    @Override
    public void send(Reply reply) {
        admission.release(merchantSlots);
        deliver.accept(reply);
    }
}
