package dev.payproc.gateway.http;

import dev.payproc.core.model.Errors;
import dev.payproc.core.model.Reply;
import dev.payproc.core.stage.ThreadOwner;
import dev.payproc.gateway.codec.BatchDecoder;
import io.vertx.ext.web.RoutingContext;
import java.util.List;

/**
 * Collects a batch's answers, slot by slot, and writes {@code {"results": [...]}} when the last one is in.
 * Touched only on the request's event loop (every answer is delivered there), so it needs no locks.
 * Each result is the single-request answer (payment or error) with {@code httpStatus}, the item's
 * {@code idempotencyKey}, and {@code replayed} for a replay.
 */
final class BatchReplies {
    private final RoutingContext ctx;
    private final List<BatchDecoder.Item> items;
    private final Reply[] slots;
    private final ThreadOwner loop = new ThreadOwner("a batch's answers");
    private int filled;
    private boolean sealed;

    BatchReplies(RoutingContext ctx, List<BatchDecoder.Item> items) {
        this.ctx = ctx;
        this.items = items;
        this.slots = new Reply[items.size()];
    }

    void fill(int index, Reply reply) {
        assert loop.isCurrent() : loop;
        slots[index] = reply;
        filled++;
        writeIfComplete();
    }

    /** Every item has been answered or handed to the pipeline: the answer may go once all slots are in. */
    void sealed() {
        assert loop.isCurrent() : loop;
        sealed = true;
        writeIfComplete();
    }

    private void writeIfComplete() {
        if (!sealed || filled < slots.length) return;
        StringBuilder sb = new StringBuilder(512 * slots.length).append("{\"results\":[");
        for (int i = 0; i < slots.length; i++) {
            if (i > 0) sb.append(',');
            Reply r = slots[i];
            sb.append("{\"httpStatus\":").append(r.status());
            if (items.get(i).idempotencyKey() != null) {
                sb.append(",\"idempotencyKey\":");
                Errors.quote(sb, items.get(i).idempotencyKey());
            }
            if (r.replayed()) sb.append(",\"replayed\":true");
            String body = r.body(); // a JSON object: its own fields follow ours
            if (body.length() > 2) sb.append(',');
            sb.append(body, 1, body.length());
        }
        Responses.send(ctx, Reply.of(200, sb.append("]}").toString()));
    }
}
