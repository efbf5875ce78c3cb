package dev.payproc.gateway;

import dev.payproc.core.stage.ThreadOwner;
import io.netty.handler.codec.http2.Http2ConnectionHandler;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.net.impl.ConnectionBase;
import java.util.HashSet;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The open connections of one gateway instance and their graceful HTTP/2 shutdown in two GOAWAYs. Everything here
 * runs on that instance's event loop.
 */
final class Http2Drain {
    private final Context context;
    /** Run for every accepted connection before it is tracked (e.g. to install the answer flush). */
    private final Consumer<HttpConnection> onAccept;

    private final Set<HttpConnection> connections = new HashSet<>();
    private final ThreadOwner loop = new ThreadOwner("gateway connections");
    private boolean shutdownAnnounced;
    private boolean streamsRefused;

    Http2Drain(Context context, Consumer<HttpConnection> onAccept) {
        this.context = context;
        this.onAccept = onAccept;
    }

    /** A listener's connection handler. */
    void track(HttpConnection conn) {
        assert loop.isCurrent() : loop;
        onAccept.accept(conn);
        connections.add(conn);
        conn.closeHandler(v -> connections.remove(conn));
        if (streamsRefused) goAway(conn, 0); // accepted after the final GOAWAYs: nothing on it will be served
        else if (shutdownAnnounced) goAway(conn, Integer.MAX_VALUE);
    }

    /**
     * The first half of a graceful HTTP/2 shutdown (RFC 9113, 6.8): a GOAWAY whose last stream id is 2^31-1
     * tells each client to open no new stream on its connection, while every stream it has opened or is
     * opening is still served. By the time {@link #refuseNewStreams} sends the final GOAWAY, the clients have
     * stopped writing, so no request is written into a closed socket (a "broken pipe" with no answer) and no
     * TCP reset destroys answers a client has not read yet. Connections opened from now on get it at once.
     */
    Future<Void> announceShutdown() {
        Promise<Void> announced = Promise.promise();
        context.runOnContext(v -> {
            shutdownAnnounced = true;
            for (HttpConnection conn : connections) goAway(conn, Integer.MAX_VALUE);
            announced.complete();
        });
        return announced.future();
    }

    /**
     * The second half, once the clients have had time to hear the first: on each HTTP/2 connection a GOAWAY naming
     * the last stream the client has opened. Streams it opens after that are not served, and this GOAWAY is how
     * the client knows they were not (RFC 9113, 6.8), so it can retry them anywhere. It must be sent here:
     * Netty's graceful close sends a GOAWAY of its own only if none was sent, so after the first one it would
     * close without ever naming a last stream, and a stream cut by the close would be in doubt.
     */
    Future<Void> refuseNewStreams() {
        Promise<Void> refused = Promise.promise();
        context.runOnContext(v -> {
            streamsRefused = true;
            for (HttpConnection conn : connections) {
                int last = lastStreamOpened(conn);
                if (last >= 0) goAway(conn, last);
            }
            refused.complete();
        });
        return refused.future();
    }

    /** The highest stream id the client has opened on this HTTP/2 connection (0: none), or -1 for HTTP/1.1. */
    private static int lastStreamOpened(HttpConnection conn) {
        // Vert.x does not expose it; Netty's connection state has it. Read on the connection's own event loop.
        if (conn instanceof ConnectionBase base) {
            Http2ConnectionHandler h2 = base.channel().pipeline().get(Http2ConnectionHandler.class);
            if (h2 != null) return Math.max(0, h2.connection().remote().lastStreamCreated());
        }
        return -1;
    }

    private static void goAway(HttpConnection conn, int lastStreamId) {
        try {
            conn.goAway(0, lastStreamId);
        } catch (UnsupportedOperationException http1) {
            // HTTP/1.1 has no GOAWAY (Vert.x tells only by throwing, once per connection at shutdown): such a
            // connection is closed when the listener shuts down, after its in-flight request is answered.
        }
    }
}
