package dev.payproc.testkit;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;
import java.util.ArrayDeque;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The one relay the tests and the fault runs put between the processor and PostgreSQL, to inject faults. {@link #hold()} stops forwarding (the database
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

    /** Listens on any free port of 127.0.0.1. */
    public TcpProxy(String targetHost, int targetPort) {
        this(0, targetHost, targetPort);
    }

    /** Listens on 127.0.0.1:{@code listenPort} (0: any free port); fails if it cannot. */
    public TcpProxy(int listenPort, String targetHost, int targetPort) {
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
                back.handler(new Delayed(front)::write);
                front.closeHandler(v -> back.close());
                back.closeHandler(v -> front.close());
                if (held) back.pause(); // both directions stay paused until release()
                else front.resume();
            });
        });
        Await.result(server.listen(listenPort, "127.0.0.1"));
    }

    /**
     * One connection's answers in arrival order, each sent no sooner than its arrival plus the delay then: when
     * the delay drops, a later answer must not overtake one still held, or the wire protocol breaks.
     */
    private final class Delayed {
        private final NetSocket to;
        private final ArrayDeque<Buffer> chunks = new ArrayDeque<>();
        private final ArrayDeque<Long> dueAt = new ArrayDeque<>();
        private boolean timerSet;

        Delayed(NetSocket to) {
            this.to = to;
        }

        void write(Buffer chunk) {
            long d = delayMillis;
            if (d == 0 && chunks.isEmpty()) {
                to.write(chunk);
                return;
            }
            chunks.add(chunk);
            dueAt.add(System.nanoTime() + d * 1_000_000);
            if (!timerSet) schedule();
        }

        private void schedule() {
            timerSet = true;
            long wait = Math.max(1, (dueAt.peek() - System.nanoTime() + 999_999) / 1_000_000);
            vertx.setTimer(wait, id -> {
                timerSet = false;
                long now = System.nanoTime();
                while (!chunks.isEmpty() && dueAt.peek() <= now) {
                    dueAt.poll();
                    to.write(chunks.poll());
                }
                if (!chunks.isEmpty()) schedule();
            });
        }
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
