package dev.payproc.app.cluster;

import dev.payproc.core.metrics.LatencyMetric;
import dev.payproc.core.metrics.PipelineMetrics;
import dev.payproc.core.model.Errors;
import dev.payproc.core.model.Reply;
import dev.payproc.core.model.ReplySink;
import dev.payproc.core.pipeline.AuthorizationCommand;
import dev.payproc.core.pipeline.Command;
import dev.payproc.core.port.ClusterStatus;
import dev.payproc.core.port.CommandRouter;
import io.vertx.core.AsyncResult;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.spi.cluster.ClusterManager;
import io.vertx.core.spi.cluster.NodeListener;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import java.util.logging.Logger;

/**
 * The command router of a cluster member: an authorization whose card's partition this member owns goes to the
 * local risk shards as in a single process; one owned by another member is sent to that member over the clustered
 * event bus ({@link ForwardCodec}, request-reply bounded by {@code CLUSTER_FORWARD_TIMEOUT_MS}), which decides and
 * commits it in its own pipeline ({@link ForwardReceiver}), and its answer is relayed to the terminal. The
 * admission slot taken here is held until that answer, so forwarded work is bounded like local work. Lifecycle
 * commands (capture, void, refund) touch no card history and stay local. No owner reachable, or no answer in time,
 * is a retryable {@code 503 unavailable}; after a timeout the owner may still have committed, and a retry with the
 * same Idempotency-Key gets that answer.
 */
public final class ClusterRouter implements CommandRouter, ClusterStatus {
    private static final Logger LOG = Logger.getLogger(ClusterRouter.class.getName());
    static final Reply NO_ANSWER = Errors.retryLater(
            503,
            "unavailable",
            "the processor that owns this card did not answer in time; it may have committed the authorization:"
                    + " retry with the same Idempotency-Key",
            1);
    static final Reply NO_OWNER = Errors.retryLater(
            503,
            "unavailable",
            "the processor that owns this card cannot be reached; nothing was committed, retry shortly",
            1);

    private final CommandRouter local;
    private final EventBus bus;
    private final String self;
    private final DeliveryOptions options;
    private final LongAdder forwardedOut = new LongAdder();
    private final LongAdder forwardedIn = new LongAdder();
    private final LongAdder failures = new LongAdder();
    private final LatencyMetric latency = new LatencyMetric("cluster_forward", PipelineMetrics.WINDOW_SECONDS);
    private volatile Partitions table;

    /** A router over a fixed view: {@code self} among {@code members} until {@link #membershipChanged}. */
    ClusterRouter(CommandRouter local, EventBus bus, String self, List<String> members, int forwardTimeoutMillis) {
        this.local = local;
        this.bus = bus;
        this.self = self;
        this.options = new DeliveryOptions().setSendTimeout(forwardTimeoutMillis);
        this.table = Partitions.of(members, self);
    }

    /** The router of a cluster member: its view follows the cluster manager's node list on every join and leave. */
    public static ClusterRouter following(
            CommandRouter local, EventBus bus, ClusterManager manager, int forwardTimeoutMillis) {
        ClusterRouter router =
                new ClusterRouter(local, bus, manager.getNodeId(), manager.getNodes(), forwardTimeoutMillis);
        manager.nodeListener(new NodeListener() {
            @Override
            public void nodeAdded(String nodeId) {
                router.membershipChanged("joined: " + nodeId, manager.getNodes());
            }

            @Override
            public void nodeLeft(String nodeId) {
                router.membershipChanged("left: " + nodeId, manager.getNodes());
            }
        });
        // A member that joined between the first read and the listener is in this read.
        router.membershipChanged("start", manager.getNodes());
        return router;
    }

    /** Recomputes the owners from the newest member list (each listener call reads it afresh). */
    void membershipChanged(String why, List<String> members) {
        Partitions next = Partitions.of(members, self);
        table = next;
        LOG.info("cluster membership (" + why + "): " + next.members().size() + " members " + next.members()
                + "; this node " + self + " owns " + next.owned() + " of " + Partitions.COUNT + " partitions");
    }

    @Override
    public boolean offer(Command command) {
        if (command instanceof AuthorizationCommand auth) {
            Partitions t = table;
            int partition = Partitions.partitionOf(auth.authorization().card().fingerprint());
            if (!t.isLocal(partition)) {
                forward(auth, t.ownerOf(partition));
                return true;
            }
        }
        return local.offer(command);
    }

    private void forward(AuthorizationCommand auth, String owner) {
        forwardedOut.increment();
        long sent = System.nanoTime();
        bus.<Buffer>request(ForwardReceiver.address(owner), ForwardCodec.encode(auth), options)
                .onComplete(ar -> answer(auth.sink(), ar, sent));
    }

    private void answer(ReplySink sink, AsyncResult<Message<Buffer>> ar, long sent) {
        Reply reply;
        if (ar.succeeded()) {
            latency.recordNanos(System.nanoTime() - sent);
            reply = decode(ar.result().body());
        } else {
            failures.increment();
            reply = ar.cause() instanceof ReplyException re && re.failureType() == ReplyFailure.TIMEOUT
                    ? NO_ANSWER
                    : NO_OWNER;
        }
        sink.executor().execute(() -> sink.send(reply));
    }

    private Reply decode(Buffer body) {
        try {
            return ForwardCodec.decodeReply(body);
        } catch (RuntimeException e) {
            failures.increment();
            LOG.warning("undecodable forward answer: " + e);
            return NO_ANSWER;
        }
    }

    @Override
    public void signalWaiting() {
        local.signalWaiting();
    }

    /** Counts one authorization received from another member ({@link ForwardReceiver}). */
    void countIn() {
        forwardedIn.increment();
    }

    public Partitions partitions() {
        return table;
    }

    @Override
    public Snapshot snapshot() {
        Partitions t = table;
        return new Snapshot(
                t.self(),
                t.members().size(),
                Partitions.COUNT,
                t.owned(),
                forwardedOut.sum(),
                forwardedIn.sum(),
                failures.sum());
    }

    @Override
    public LatencyMetric forwardLatency() {
        return latency;
    }

    /** Metrics thread only. */
    public void roll() {
        latency.roll();
    }
}
