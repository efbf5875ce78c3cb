package dev.payproc.bench.faults;

import dev.payproc.bench.faults.verdict.FloodFigures;
import dev.payproc.testkit.Lane;
import dev.payproc.testkit.OpenSchedule;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.Promise;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;

// A second client beside the testkit's LoadClient on purpose: raw Netty is what makes twice the maximum affordable on
// two cores.
/**
 * The load generator for overload (paced by the testkit's {@link Lane}, as the LoadClient is): a few h2c connections ({@link FloodConnection}) on the driver's own event loops,
 * Netty's HTTP/2 codec without an HTTP client on top. Vert.x's client costs 60-90 µs of CPU per request: offering
 * twice the processor's maximum took a whole core of the two the processor and PostgreSQL need, and the client's own
 * delays read as the processor's latency. It runs the warm-up and the probe (closed loops) too, so that the JIT has
 * compiled its path before the open model is measured. Every outcome goes to an {@link Outcomes} as the Vert.x
 * client's do.
 */
final class Flood {
    private static final long CONNECT_TIMEOUT_MILLIS = 10_000;

    private final FloodRequests requests;
    private final FaultDriver.FaultFlag fault;
    private final List<FloodConnection> connections = new ArrayList<>();
    private final List<Channel> channels = new ArrayList<>();
    private final AtomicLong inFlight = new AtomicLong();
    private final AtomicInteger lanesDone = new AtomicInteger();

    private Flood(FloodRequests requests, FaultDriver.FaultFlag fault) {
        this.requests = requests;
        this.fault = fault;
    }

    /** Opens {@code connections} h2c connections on {@code group}, spread over its loops, and waits for each server's SETTINGS. */
    static Flood connect(
            EventLoopGroup group,
            String host,
            int port,
            int connections,
            FloodRequests requests,
            FaultDriver.FaultFlag fault)
            throws Exception {
        Flood flood = new Flood(requests, fault);
        for (int lane = 0; lane < connections; lane++) {
            EventLoop loop = group.next();
            Promise<Void> ready = loop.newPromise();
            FloodConnection handler = FloodConnection.create(flood, ready);
            Channel channel = new Bootstrap()
                    .group(loop)
                    .channel(NioSocketChannel.class)
                    .option(ChannelOption.TCP_NODELAY, true)
                    .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) CONNECT_TIMEOUT_MILLIS)
                    .handler(handler)
                    .connect(host, port)
                    .sync()
                    .channel();
            flood.connections.add(handler);
            flood.channels.add(channel);
            if (!ready.await(CONNECT_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS))
                throw new IllegalStateException("no SETTINGS from " + host + ":" + port);
        }
        return flood;
    }

    /** A closed loop of {@code streams} (spread over the connections) until {@code endNanos}, keys from {@code firstKey}. */
    void closedLoop(long firstKey, int streams, long endNanos, Outcomes outcomes, long deadlineNanos) throws Exception {
        Lane.Loop loop = Lane.Loop.until(firstKey, endNanos);
        int lanes = connections.size();
        run(lane -> new Lane.Closed(loop, Lane.share(streams, lane, lanes)), outcomes, deadlineNanos);
    }

    /** The open model: request i of {@code schedule} on connection i mod connections. */
    FloodFigures open(OpenSchedule schedule, Outcomes outcomes, long deadlineNanos) throws Exception {
        int lanes = connections.size();
        List<FloodConnection.End> ends = run(lane -> new Lane.Open(schedule, lane, lanes), outcomes, deadlineNanos);
        return new FloodFigures(
                ends.stream().mapToLong(FloodConnection.End::unsent).sum(),
                ends.stream().mapToLong(FloodConnection.End::waitingPeak).max().orElse(0));
    }

    /**
     * Until every lane is done and every request answered, or the deadline; then requests still unanswered are
     * recorded as failed in doubt (as the LoadClient's timeout records them).
     */
    private List<FloodConnection.End> run(IntFunction<Lane> lanes, Outcomes outcomes, long deadlineNanos)
            throws Exception {
        lanesDone.set(0);
        for (int i = 0; i < connections.size(); i++) {
            FloodConnection c = connections.get(i);
            Lane lane = lanes.apply(i);
            channels.get(i).eventLoop().execute(() -> c.start(lane, outcomes));
        }
        while ((lanesDone.get() < connections.size() || inFlight.get() > 0) && System.nanoTime() < deadlineNanos)
            Thread.sleep(20);
        List<FloodConnection.End> ends = new ArrayList<>();
        for (int i = 0; i < connections.size(); i++)
            ends.add(
                    channels.get(i).eventLoop().submit(connections.get(i)::stop).get(5, TimeUnit.SECONDS));
        return ends;
    }

    void close() throws Exception {
        for (int i = 0; i < connections.size(); i++) {
            channels.get(i).eventLoop().submit(connections.get(i)::stopTicking).get(5, TimeUnit.SECONDS);
            channels.get(i).close().await(5, TimeUnit.SECONDS);
        }
    }

    FloodRequests requests() {
        return requests;
    }

    boolean degraded() {
        return fault.degraded();
    }

    /** A connection's lane will hand out nothing more (its event loop). */
    void laneDone() {
        lanesDone.incrementAndGet();
    }

    /** A request went out (any event loop). */
    void sent() {
        inFlight.incrementAndGet();
    }

    /** One request's outcome (any event loop). */
    void finish(
            Outcomes outcomes,
            String key,
            long intendedNanos,
            boolean degraded,
            int status,
            String body,
            boolean retryAfter,
            String transport,
            Throwable failure) {
        outcomes.record(
                key, 0, intendedNanos, degraded, fault.clearedAt(), status, body, retryAfter, transport, failure);
        inFlight.decrementAndGet();
    }
}
