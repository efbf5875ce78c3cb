package dev.payproc.gateway.http;

import dev.payproc.core.model.Reply;
import dev.payproc.core.model.ReplySink;
import dev.payproc.core.pipeline.Command;
import dev.payproc.core.port.CommandRouter;
import dev.payproc.gateway.codec.StrictJson;
import io.vertx.ext.web.RoutingContext;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The door into the pipeline, shared by every write endpoint: the {@code Idempotency-Key} header, admission
 * (bounded in-flight work, refused while draining) and the hand-off to the risk shard
 * that decides the command. One per event loop.
 */
public final class CommandIntake {
    private final CommandRouter risk;
    private final Admission admission;
    private final Executor loop;
    private boolean signalQueued;

    public CommandIntake(CommandRouter risk, Admission admission, Executor loop) {
        this.risk = risk;
        this.admission = admission;
        this.loop = loop;
    }

    /** The request's Idempotency-Key, or null after answering 400 when it is missing or malformed. */
    static String idempotencyKey(RoutingContext ctx) {
        String key = ctx.request().getHeader("Idempotency-Key");
        if (key == null) {
            Responses.error(ctx, 400, "invalid_request", "the Idempotency-Key header is required", "Idempotency-Key");
            return null;
        }
        if (!StrictJson.isIdempotencyKey(key)) {
            Responses.error(
                    ctx,
                    400,
                    "invalid_request",
                    "the Idempotency-Key header must be 1-64 characters of [A-Za-z0-9_-]",
                    "Idempotency-Key");
            return null;
        }
        return key;
    }

    /** Admits the command built for this request's reply channel and wakes the risk stage, or answers 503 at once. */
    void submit(RoutingContext ctx, String merchantId, Function<ReplySink, Command> command) {
        Reply refused = offer(merchantId, command, reply -> Responses.send(ctx, reply));
        if (refused != null) Responses.send(ctx, refused);
        else signalAtTurnEnd();
    }

    /**
     * Wakes the risk stage once this event loop has handled what its last read brought: the commands admitted
     * in one turn share one wake-up (a system call each on a parked shard) instead of one per request.
     */
    private void signalAtTurnEnd() {
        if (signalQueued) return;
        signalQueued = true;
        loop.execute(() -> {
            signalQueued = false;
            signal();
        });
    }

    /**
     * Admits one command of the authenticated {@code merchantId} whose answer goes to {@code deliver} on this
     * event loop: null when admitted, else the refusal. Call {@link #signal()} after a run of offers.
     */
    public Reply offer(String merchantId, Function<ReplySink, Command> command, Consumer<Reply> deliver) {
        AtomicInteger merchantSlots = admission.merchantSlots(merchantId);
        Reply refused = admission.tryAdmit(merchantSlots);
        if (refused != null) return refused;
        Command cmd = command.apply(new PendingReply(loop, admission, merchantSlots, deliver));
        if (!risk.offer(cmd)) {
            admission.release(merchantSlots);
            return GatewayErrors.OVERLOADED;
        }
        return null;
    }

    public void signal() {
        risk.signalWaiting();
    }
}
