package dev.payproc.bench.faults;

import dev.payproc.testkit.TcpProxy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The test kit's relay ({@link TcpProxy}) between the processor and PostgreSQL as a process of its own, for
 * {@code scripts/faults.sh}: every chunk PostgreSQL sends back is held for the number of milliseconds written in
 * the control file (absent or empty: 0), read every 50 ms. Answers keep their order on each connection even while
 * the delay changes; requests to the database pass at once.
 * <pre>java -cp benchmarks.jar dev.payproc.bench.faults.SlowLink LISTEN_PORT TARGET_HOST TARGET_PORT CONTROL_FILE</pre>
 */
public final class SlowLink implements AutoCloseable {
    private final TcpProxy relay;
    private final ScheduledExecutorService poll = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "slowlink-control");
        t.setDaemon(true);
        return t;
    });

    /** Relays 127.0.0.1:{@code listenPort} (0: any free port) to the target, with the delay the control file says. */
    SlowLink(int listenPort, String targetHost, int targetPort, Path control) {
        relay = new TcpProxy(listenPort, targetHost, targetPort);
        relay.delay(readDelay(control)); // in force for the first connection, not only from the first re-read
        poll.scheduleWithFixedDelay(() -> relay.delay(readDelay(control)), 50, 50, TimeUnit.MILLISECONDS);
    }

    public static void main(String[] args) {
        if (args.length != 4) {
            System.err.println("usage: SlowLink LISTEN_PORT TARGET_HOST TARGET_PORT CONTROL_FILE");
            System.exit(2);
        }
        try {
            SlowLink link =
                    new SlowLink(Integer.parseInt(args[0]), args[1], Integer.parseInt(args[2]), Path.of(args[3]));
            System.out.println("SlowLink: 127.0.0.1:" + link.port() + " -> " + args[1] + ":" + args[2] + ", delay from "
                    + args[3]);
        } catch (RuntimeException e) {
            System.err.println("SlowLink: cannot listen on " + args[0] + ": " + e.getMessage());
            System.exit(1);
        }
    }

    int port() {
        return relay.port();
    }

    @Override
    public void close() {
        poll.shutdownNow();
        relay.close();
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
