package dev.payproc.bench.faults;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;

/**
 * A TCP relay between the processor and PostgreSQL that makes the database slow on demand, for
 * {@code scripts/faults.sh}: every chunk PostgreSQL sends back is held for the number of milliseconds written in
 * the control file (absent or empty: 0), read every 50 ms. Chunks keep their order on each connection even
 * while the delay changes (a later chunk never overtakes one still held), so the wire protocol stays intact;
 * requests to the database pass at once.
 * <pre>java -cp benchmarks.jar dev.payproc.bench.faults.SlowLink LISTEN_PORT TARGET_HOST TARGET_PORT CONTROL_FILE</pre>
 */
public final class SlowLink {
    private final Vertx vertx = Vertx.vertx();
    /**
     * One client for all relayed connections, held for the relay's life: Vert.x closes a client, and every
     * connection it made, once the client is garbage collected. A client per connection, dropped after the
     * connect, cut several relayed PostgreSQL connections at once at the next GC.
     */
    private final NetClient client = vertx.createNetClient();
    private volatile long delayMillis;

    public static void main(String[] args) {
        if (args.length != 4) {
            System.err.println("usage: SlowLink LISTEN_PORT TARGET_HOST TARGET_PORT CONTROL_FILE");
            System.exit(2);
        }
        String target = args[1] + ":" + args[2];
        new SlowLink().start(Integer.parseInt(args[0]), args[1], Integer.parseInt(args[2]), Path.of(args[3]))
                .onSuccess(port -> System.out.println("SlowLink: 127.0.0.1:" + port + " -> " + target + ", delay from " + args[3]))
                .onFailure(e -> {
                    System.err.println("SlowLink: cannot listen on " + args[0] + ": " + e.getMessage());
                    System.exit(1);
                });
    }

    /** Relays 127.0.0.1:{@code listenPort} (0: any free port) to the target; completes with the port it listens on. */
    Future<Integer> start(int listenPort, String targetHost, int targetPort, Path control) {
        delayMillis = readDelay(control); // in force for the first connection, not only from the first re-read
        vertx.setPeriodic(50, id -> delayMillis = readDelay(control));
        return vertx.createNetServer().connectHandler(front -> relay(front, targetHost, targetPort))
                .listen(listenPort, "127.0.0.1")
                .map(NetServer::actualPort);
    }

    Future<Void> close() {
        return vertx.close();
    }

    private void relay(NetSocket front, String targetHost, int targetPort) {
        front.pause();
        client.connect(targetPort, targetHost).onComplete(ar -> {
            if (ar.failed()) {
                front.close();
                return;
            }
            NetSocket back = ar.result();
            front.handler(back::write);
            back.handler(new Delayed(front)::write);
            front.closeHandler(v -> back.close());
            back.closeHandler(v -> front.close());
            front.resume();
        });
    }

    /** One connection's answers in arrival order, each sent no sooner than its arrival plus the delay then. */
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

    private static long readDelay(Path control) {
        try {
            String s = Files.readString(control).trim();
            return s.isEmpty() ? 0 : Long.parseLong(s);
        } catch (IOException | NumberFormatException e) {
            return 0;
        }
    }
}
