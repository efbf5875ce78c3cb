package dev.payproc.app.cluster;

import dev.payproc.core.model.Reply;
import dev.payproc.core.pipeline.AuthorizationCommand;
import dev.payproc.core.port.CommandRouter;
import dev.payproc.gateway.http.Admission;
import dev.payproc.gateway.http.CommandIntake;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import java.util.concurrent.Executor;
import java.util.logging.Logger;

/**
 * The owner's end of a forward: authorizations other members sent for cards this member owns enter this member's
 * pipeline through its own admission and local risk shards, exactly as if they had arrived here over HTTP
 * (idempotency, risk, commit), and the answer the terminal gets goes back as the reply. Deployed once per event
 * loop; the event bus spreads a node's messages over its consumers. A member decides what it is sent even while
 * its own view of the owners differs (a move in progress): fencing such moves is the next step of issue 19.
 */
public final class ForwardReceiver extends VerticleBase {
    private static final Logger LOG = Logger.getLogger(ForwardReceiver.class.getName());

    private final String nodeId;
    private final CommandRouter localRisk;
    private final Admission admission;
    private final ClusterRouter counts;
    private CommandIntake intake;
    private boolean signalQueued;
    private MessageConsumer<Buffer> consumer;

    public ForwardReceiver(String nodeId, CommandRouter localRisk, Admission admission, ClusterRouter counts) {
        this.nodeId = nodeId;
        this.localRisk = localRisk;
        this.admission = admission;
        this.counts = counts;
    }

    /** The event bus address of a member's receivers. */
    static String address(String nodeId) {
        return "payproc.authorize." + nodeId;
    }

    @Override
    public Future<?> start() {
        Executor loop = task -> context.runOnContext(v -> task.run());
        intake = new CommandIntake(localRisk, admission, loop);
        consumer = vertx.eventBus().consumer(address(nodeId), this::handle);
        return consumer.completion();
    }

    private void handle(Message<Buffer> message) {
        counts.countIn();
        ForwardCodec.Forwarded f;
        try {
            f = ForwardCodec.decodeCommand(message.body());
        } catch (RuntimeException e) {
            LOG.warning("undecodable forwarded authorization: " + e);
            message.fail(400, "undecodable");
            return;
        }
        long received = System.nanoTime();
        Reply refused = intake.offer(
                f.authorization().merchantId(),
                sink -> new AuthorizationCommand(
                        f.authorization(), f.idempotencyKey(), f.requestHash(), received, sink),
                reply -> message.reply(ForwardCodec.encode(reply)));
        if (refused != null) {
            message.reply(ForwardCodec.encode(refused));
        } else if (!signalQueued) { // one wake-up of the shards per turn, as the gateway's intake does
            signalQueued = true;
            context.runOnContext(v -> {
                signalQueued = false;
                intake.signal();
            });
        }
    }

    @Override
    public Future<?> stop() {
        return consumer == null ? Future.succeededFuture() : consumer.unregister();
    }
}
