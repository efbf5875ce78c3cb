package dev.payproc.gateway.it;

import io.vertx.core.Vertx;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A fault injector between the processor and PostgreSQL. {@link #hold()} stops forwarding (the database
 * seems to hang), {@link #release()} lets the held traffic through, {@link #cut()} drops every
 * connection and refuses new ones (the database is unreachable), {@link #restore()} accepts again, and
 * {@link #delay(long)} holds every answer from the database that long (a slow database; answers keep their order).
 */
public final class TcpProxy implements AutoCloseable {
    private final Vertx vertx = Vertx.vertx();
    private final NetClient client = vertx.createNetClient();
    private final NetServer server;
    private final Set<NetSocket> sockets = ConcurrentHashMap.newKeySet();
    private volatile boolean cut;
    private volatile boolean held;
    private volatile long delayMillis;

    public TcpProxy(String targetHost, int targetPort) {
        server = vertx.createNetServer().connectHandler(front -> {
            if (cut) {
                front.close();
                return;
            }
            front.pause();
            client.connect(targetPort, targetHost).onComplete(ar -> {
                if (ar.failed() || cut) {
                    front.close();
                    if (ar.succeeded()) ar.result().close();
                    return;
                }
                NetSocket back = ar.result();
                sockets.add(front);
                sockets.add(back);
                front.handler(back::write);
                back.handler(answer -> {
                    long d = delayMillis;
                    if (d == 0) front.write(answer);
                    else vertx.setTimer(d, id -> front.write(answer)); // equal delays fire in order
                });
                front.closeHandler(v -> back.close());
                back.closeHandler(v -> front.close());
                if (held) back.pause(); // both directions stay paused until release()
                else front.resume();
            });
        });
        Await.result(server.listen(0, "127.0.0.1"));
    }

    public int port() {
        return server.actualPort();
    }

    public void hold() {
        held = true;
        sockets.forEach(NetSocket::pause);
    }

    public void release() {
        held = false;
        sockets.forEach(NetSocket::resume);
    }

    public void delay(long millis) {
        delayMillis = millis;
    }

    public void cut() {
        cut = true;
        sockets.forEach(NetSocket::close);
        sockets.clear();
    }

    public void restore() {
        cut = false;
    }

    @Override
    public void close() {
        cut();
        Await.result(server.close());
        Await.result(vertx.close());
    }
}
