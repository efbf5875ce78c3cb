package dev.payproc.app;

import dev.payproc.gateway.ListenFailure;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.logging.Logger;
import sun.misc.Signal;

/**
 * Runs the processor in the foreground until {@code SIGTERM} or {@code SIGINT}: then it drains in-flight
 * work and exits 0. Start-up failure (e.g. no database, a port in use) exits 1.
 */
public final class Main {
    private Main() {}

    public static void main(String[] args) throws InterruptedException {
        if (System.getProperty("java.util.logging.SimpleFormatter.format") == null) {
            System.setProperty(
                    "java.util.logging.SimpleFormatter.format", "%1$tFT%1$tT.%1$tLZ %4$-7s %3$s - %5$s%6$s%n");
        }
        Logger log = Logger.getLogger(Main.class.getName());
        ProcessorConfig config;
        try {
            config = ProcessorConfig.fromEnv(System.getenv());
        } catch (IllegalArgumentException e) {
            log.severe("bad configuration: " + e.getMessage());
            System.exit(1);
            return;
        }
        Processor processor;
        try {
            processor = Processor.start(config)
                    .toCompletionStage()
                    .toCompletableFuture()
                    .get(120, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
            // A listener that cannot open its address says so in one line that names it, without a stack trace.
            log.severe("could not start: " + (cause instanceof ListenFailure ? cause.getMessage() : cause));
            System.exit(1);
            return;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runnable drain = () -> {
            log.info("signal received: draining in-flight work");
            processor.stop(10_000).onComplete(v -> stopped.countDown());
        };
        // Our own handlers (instead of a shutdown hook) so that a drained shutdown exits 0, not 143.
        Signal.handle(new Signal("TERM"), s -> drain.run());
        Signal.handle(new Signal("INT"), s -> drain.run());
        stopped.await();
        System.exit(0);
    }
}
