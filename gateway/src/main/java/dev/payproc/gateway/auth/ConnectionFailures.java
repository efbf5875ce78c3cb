package dev.payproc.gateway.auth;

import io.netty.channel.Channel;
import io.netty.util.AttributeKey;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.net.impl.ConnectionBase;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Failed authentications of terminal keys on one client connection. The one that reaches {@link #LIMIT} closes
 * the connection: an HTTP/2 GOAWAY ({@code ENHANCE_YOUR_CALM}) tells the client to open no new stream on it, the
 * streams it opened already are answered, and then it is closed. So one HTTP/2 connection cannot multiplex an
 * unbounded stream of guesses over its streams, whatever its address's limit ({@link AuthFailures#LIMIT} in a
 * window) still allows. The count is an attribute of the connection's channel: it goes when the connection goes,
 * and no map of connections grows with them. A success does not reset it, so known keys cannot launder guesses.
 */
public final class ConnectionFailures {
    /** Failed authentications one connection may have; the one that reaches it closes the connection. */
    public static final int LIMIT = 10;
    /** HTTP/2 error code ENHANCE_YOUR_CALM (RFC 9113, 7): the peer is generating excessive load. */
    static final long ENHANCE_YOUR_CALM = 0xb;
    /** How long the streams already opened on a closing connection have to be answered. */
    static final long CLOSE_TIMEOUT_MILLIS = 2_000;

    private static final AttributeKey<ConnectionFailures> KEY =
            AttributeKey.valueOf(ConnectionFailures.class, "authenticationFailures");

    /** Atomic: a key lookup may complete on another event loop than the connection's. */
    private final AtomicInteger failures = new AtomicInteger();

    ConnectionFailures() {}

    /** Counts one failure; true for exactly the one that reaches {@link #LIMIT} (the connection must close). */
    boolean failed() {
        int before = failures.getAndUpdate(n -> Math.min(n + 1, LIMIT));
        return before == LIMIT - 1;
    }

    int count() {
        return failures.get();
    }

    /** The count of {@code channel}'s connection, created on its first failure. */
    static ConnectionFailures of(Channel channel) {
        ConnectionFailures mine = new ConnectionFailures();
        ConnectionFailures existing = channel.attr(KEY).setIfAbsent(mine);
        return existing != null ? existing : mine;
    }

    /** Counts a failed authentication on {@code connection}, and closes it when that is the {@link #LIMIT}th. */
    public static void failed(HttpConnection connection) {
        if (connection instanceof ConnectionBase base && of(base.channel()).failed()) close(connection);
    }

    private static void close(HttpConnection connection) {
        try {
            connection.goAway(ENHANCE_YOUR_CALM); // names the last stream the client opened: those are answered
        } catch (UnsupportedOperationException http1) {
            // HTTP/1.1 has no GOAWAY: the shutdown closes it once its request is answered.
        }
        connection.shutdown(CLOSE_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
    }
}
