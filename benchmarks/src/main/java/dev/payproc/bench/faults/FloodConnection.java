package dev.payproc.bench.faults;

import dev.payproc.testkit.Lane;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http2.AbstractHttp2ConnectionHandlerBuilder;
import io.netty.handler.codec.http2.Http2Connection;
import io.netty.handler.codec.http2.Http2ConnectionAdapter;
import io.netty.handler.codec.http2.Http2ConnectionDecoder;
import io.netty.handler.codec.http2.Http2ConnectionEncoder;
import io.netty.handler.codec.http2.Http2ConnectionHandler;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2FrameAdapter;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.codec.http2.Http2Stream;
import io.netty.util.AsciiString;
import io.netty.util.concurrent.Promise;
import io.netty.util.concurrent.ScheduledFuture;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One h2c connection of the {@link Flood}: Netty's HTTP/2 codec and nothing else, all on the connection's event loop.
 * What it sends comes from its {@link Lane}: every millisecond, and after every read (a closed stream makes room),
 * it writes the requests the lane hands out and flushes once. A request due while the server's
 * SETTINGS_MAX_CONCURRENT_STREAMS are all in use waits, its latency clock running from when it was due.
 */
final class FloodConnection extends Http2ConnectionHandler {
    private static final AsciiString RETRY_AFTER = AsciiString.cached("retry-after");

    private final Flood flood;
    private final Http2Connection.PropertyKey exchangeKey;
    private final Promise<Void> ready;
    private ChannelHandlerContext ctx;
    private ScheduledFuture<?> ticker;
    private Lane lane; // null between runs
    private Outcomes outcomes;
    private int inFlight;
    private boolean laneDone;
    private long waitingPeak; // the most requests due at once with no stream free for them

    /** A request on the wire: what the outcome file needs, and the answer as it arrives. */
    private static final class Exchange {
        final String key;
        final long intendedNanos;
        final boolean degraded;
        final Outcomes outcomes;
        int status;
        boolean retryAfter;
        String body = "";
        boolean done;
        long resetCode = -1;

        Exchange(String key, long intendedNanos, boolean degraded, Outcomes outcomes) {
            this.key = key;
            this.intendedNanos = intendedNanos;
            this.degraded = degraded;
            this.outcomes = outcomes;
        }
    }

    private FloodConnection(
            Http2ConnectionDecoder decoder,
            Http2ConnectionEncoder encoder,
            Http2Settings settings,
            Flood flood,
            Promise<Void> ready) {
        super(decoder, encoder, settings);
        this.flood = flood;
        this.ready = ready;
        this.exchangeKey = connection().newKey();
        connection().addListener(new Http2ConnectionAdapter() {
            @Override
            public void onStreamClosed(Http2Stream stream) {
                Exchange e = stream.getProperty(exchangeKey);
                if (e != null && !e.done) fail(stream, e);
            }
        });
    }

    static FloodConnection create(Flood flood, Promise<Void> ready) {
        return new Builder(flood, ready).build();
    }

    private static final class Builder extends AbstractHttp2ConnectionHandlerBuilder<FloodConnection, Builder> {
        private final Flood flood;
        private final Promise<Void> ready;

        Builder(Flood flood, Promise<Void> ready) {
            this.flood = flood;
            this.ready = ready;
            server(false);
            // Answers are small: a large window spares most WINDOW_UPDATE frames.
            initialSettings(Http2Settings.defaultSettings().initialWindowSize(1 << 20));
            // Each key is sent once: indexing it in HPACK's dynamic table would only evict the reusable entries.
            headerSensitivityDetector((name, value) -> FloodRequests.IDEMPOTENCY_KEY.contentEqualsIgnoreCase(name));
        }

        @Override // visible to create()
        protected FloodConnection build() {
            return super.build();
        }

        @Override
        protected FloodConnection build(
                Http2ConnectionDecoder decoder, Http2ConnectionEncoder encoder, Http2Settings settings) {
            FloodConnection handler = new FloodConnection(decoder, encoder, settings, flood, ready);
            frameListener(handler.new Listener());
            return handler;
        }
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) throws Exception {
        this.ctx = ctx;
        super.handlerAdded(ctx);
    }

    /** Starts a run: sends what {@code lane} hands out, outcomes to {@code outcomes}; on the connection's event loop. */
    void start(Lane lane, Outcomes outcomes) {
        this.lane = lane;
        this.outcomes = outcomes;
        this.laneDone = false;
        this.waitingPeak = 0;
        if (ticker == null) ticker = ctx.executor().scheduleAtFixedRate(this::tick, 0, 1, TimeUnit.MILLISECONDS);
    }

    private void tick() {
        sendDue();
        flush(ctx); // this handler's flush: it writes the DATA frames its flow controller holds, then flushes
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) throws Exception {
        sendDue(); // streams that closed in this read make room for requests waiting for one
        super.channelReadComplete(ctx); // flushes
    }

    private void sendDue() {
        if (!ready.isDone() || lane == null) return; // not before the server's SETTINGS: its stream limit
        long now = System.nanoTime();
        while (canOpen()) {
            long i = lane.take(now, inFlight);
            if (i < 0) break;
            send(i, lane.intendedNanos(i, now));
        }
        waitingPeak = Math.max(waitingPeak, lane.due(now));
        if (!laneDone && lane.done(now)) {
            laneDone = true;
            flood.laneDone();
        }
    }

    private boolean canOpen() {
        Http2Connection c = connection();
        return ctx.channel().isActive() && !c.goAwayReceived() && c.local().canOpenStream();
    }

    private void send(long i, long intendedNanos) {
        String key = flood.requests().key(i);
        Exchange exchange = new Exchange(key, intendedNanos, flood.degraded(), outcomes);
        inFlight++;
        flood.sent();
        int id = connection().local().incrementAndGetNextStreamId();
        ByteBuf body = flood.requests().body(ctx.alloc(), i);
        encoder().writeHeaders(ctx, id, flood.requests().headers(key), 0, false, ctx.voidPromise());
        Http2Stream stream = connection().stream(id);
        if (stream == null) { // the write failed and closed it at once: nothing went out whole
            body.release();
            finish(exchange, 0, "refused", new IOException("could not open a stream"));
            return;
        }
        stream.setProperty(exchangeKey, exchange);
        encoder().writeData(ctx, id, body, 0, true, ctx.voidPromise());
    }

    private void finish(Exchange e, int status, String transport, Throwable failure) {
        e.done = true;
        inFlight--;
        flood.finish(
                e.outcomes,
                e.key,
                e.intendedNanos,
                e.degraded,
                status,
                status == 0 ? null : e.body,
                e.retryAfter,
                transport,
                failure);
    }

    /** The server ended the stream without a complete answer, reset it, or the connection went. */
    private void fail(Http2Stream stream, Exchange e) {
        Http2Connection c = connection();
        // RFC 9113 8.7: REFUSED_STREAM, or a stream above the last id of a GOAWAY, was not processed.
        boolean refused = e.resetCode == Http2Error.REFUSED_STREAM.code()
                || c.goAwayReceived() && stream.id() > c.local().lastStreamKnownByPeer();
        String why = e.resetCode >= 0 ? "stream reset, code " + e.resetCode : "stream closed without a whole answer";
        finish(e, 0, refused ? "refused" : "stream", new IOException(why));
    }

    /** How a run ended on one connection: requests due but never sent, and the most that waited at once for a stream. */
    record End(long unsent, long waitingPeak) {}

    /**
     * Ends the run: requests still unanswered are recorded as failed in doubt ("stream"), as the LoadClient's
     * timeout records them, and reset (else closing the connection would wait for them).
     */
    End stop() {
        End end = new End(lane == null ? 0 : lane.due(Long.MAX_VALUE), waitingPeak);
        lane = null;
        List<Http2Stream> unanswered = new ArrayList<>();
        try {
            connection().forEachActiveStream(unanswered::add);
        } catch (Http2Exception impossible) {
            throw new IllegalStateException(impossible);
        }
        for (Http2Stream stream : unanswered) {
            Exchange e = stream.getProperty(exchangeKey);
            if (e != null && !e.done) finish(e, 0, "stream", new IOException("no answer by the end of the run"));
            resetStream(ctx, stream.id(), Http2Error.CANCEL.code(), ctx.newPromise());
        }
        flush(ctx);
        return end;
    }

    /** Before the connection closes, on its event loop. */
    void stopTicking() {
        if (ticker != null) ticker.cancel(false);
    }

    private final class Listener extends Http2FrameAdapter {
        @Override
        public void onSettingsRead(ChannelHandlerContext ctx, Http2Settings settings) {
            ready.trySuccess(null); // the server's stream limit is known
        }

        @Override
        public void onHeadersRead(
                ChannelHandlerContext ctx,
                int streamId,
                Http2Headers headers,
                int streamDependency,
                short weight,
                boolean exclusive,
                int padding,
                boolean endOfStream) {
            onHeadersRead(ctx, streamId, headers, padding, endOfStream);
        }

        @Override
        public void onHeadersRead(
                ChannelHandlerContext ctx, int streamId, Http2Headers headers, int padding, boolean endOfStream) {
            Exchange e = exchange(streamId);
            if (e == null) return;
            if (headers.status() != null) {
                e.status = HttpResponseStatus.parseLine(headers.status()).code();
                e.retryAfter = headers.contains(RETRY_AFTER);
            }
            if (endOfStream) complete(e);
        }

        @Override
        public int onDataRead(ChannelHandlerContext ctx, int streamId, ByteBuf data, int padding, boolean endOfStream) {
            int processed =
                    data.readableBytes() + padding; // handed back at once: the local flow controller updates the window
            Exchange e = exchange(streamId);
            if (e == null) return processed;
            String chunk = data.toString(StandardCharsets.UTF_8);
            e.body = e.body.isEmpty() ? chunk : e.body + chunk;
            if (endOfStream) complete(e);
            return processed;
        }

        @Override
        public void onRstStreamRead(ChannelHandlerContext ctx, int streamId, long errorCode) {
            Exchange e = exchange(streamId);
            if (e != null) e.resetCode = errorCode; // onStreamClosed follows and reports it
        }

        private Exchange exchange(int streamId) {
            Http2Stream stream = connection().stream(streamId);
            return stream == null ? null : stream.getProperty(exchangeKey);
        }

        private void complete(Exchange e) {
            if (e.status != 0) finish(e, e.status, null, null); // else onStreamClosed reports a broken answer
        }
    }
}
