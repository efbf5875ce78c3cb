package dev.payproc.bench.faults;

import dev.payproc.bench.faults.verdict.FloodFigures;
import dev.payproc.bench.faults.verdict.LoadFigures;
import dev.payproc.bench.faults.verdict.ProbeFigures;
import dev.payproc.bench.faults.verdict.RetryFigures;
import dev.payproc.testkit.Lane;
import dev.payproc.testkit.LoadClient;
import dev.payproc.testkit.OpenSchedule;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.VertxInternal;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.LongFunction;

/**
 * Load under fault injection for {@code scripts/faults.sh}: HTTP/2 cleartext (prior knowledge)
 * {@code POST /v1/authorizations}, a fresh Idempotency-Key and card per request ({@link Requests}), every
 * outcome written to a TSV file for the audit ({@link Outcomes}).
 * <pre>
 *   load  phase=N out=FILE duration=S (rate=R | streams=N) [warmup=S] [flag=FILE] [connections=8]
 *         open model at R requests/s (latency from each request's intended send time, so a stall is not hidden
 *         by the client slowing down), or closed loop with N requests in flight. While FILE exists the fault is
 *         on ("degraded"): those requests get their own latency histogram, readiness is sampled, and the time from
 *         its removal to the first 201 is measured. warmup=S runs a closed loop of 16 streams first (see warmUp).
 *         probe=S factor=F (instead of rate): after the warm-up, S seconds of closed loop (streams) measure the
 *         maximum, then the open model offers F times it, in the same warm JVM (a fresh one measures its own JIT).
 *         sender=flood: every phase (warm-up, probe, load) goes out through {@link Flood} (Netty's HTTP/2 codec, a
 *         fraction of the Vert.x client's CPU per request) on as many connections; it neither reconnects nor
 *         retries, so it is for overload, not for the crash scenarios.
 *   retry phase=N out=FILE in=FILE[,FILE...] [rounds=10] [streams=64]
 *         resends, with the same key and body, every request whose last outcome was no answer or a 5xx, in rounds
 *         one second apart until none is left.
 *   common: host=127.0.0.1 port=18090 key=sk_faults merchant=m-1001
 * </pre>
 * Prints one line {@code RESULT k=v ...}, its {@link LoadFigures} or {@link RetryFigures}; exits 2 on bad arguments.
 */
public final class FaultDriver {
    /** A request unanswered this long is a hang; it fails and is recorded as such (its latency shows it). */
    private static final long REQUEST_TIMEOUT_MILLIS = 10_000;

    private static final long DRAIN_NANOS = TimeUnit.SECONDS.toNanos(15);

    /** Whether the fault is on, from the flag file scripts/faults.sh creates and removes. */
    static final class FaultFlag {
        private volatile boolean degraded;
        private volatile long since;
        private volatile long clearedAt;

        void observe(boolean on) {
            if (on == degraded) return;
            if (on) since = System.nanoTime();
            else clearedAt = System.nanoTime();
            degraded = on;
        }

        boolean degraded() {
            return degraded;
        }

        long since() {
            return since;
        }

        /** When the fault last ended (System.nanoTime), 0 if it never did. */
        long clearedAt() {
            return clearedAt;
        }
    }

    private final Map<String, String> args;
    private final Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));
    private final String merchant;
    private final Requests requests;
    private final FaultFlag fault = new FaultFlag();
    /** The sender of every load phase with sender=flood, else null (the LoadClient sends). */
    private Flood flood;
    /** The testkit's client, opened on the first phase that uses it. */
    private LoadClient client;
    /** Every run the LoadClient sent, for what is still unanswered at the end. */
    private final List<LoadClient.Run<Boolean>> runs = new ArrayList<>();

    private FaultDriver(Map<String, String> args) {
        this.args = args;
        this.merchant = arg("merchant", "m-1001");
        this.requests = new Requests(merchant);
    }

    /** h2c on {@code connections} (8) connections over the two event loops, up to 256 streams each (the processor's limit). */
    private LoadClient client() throws Exception {
        if (client == null) {
            int connections = intArg("connections", 8);
            client = LoadClient.open(
                    vertx,
                    LoadClient.Config.post(
                                    arg("host", "127.0.0.1"),
                                    intArg("port", 18090),
                                    "/v1/authorizations",
                                    arg("key", "sk_faults"))
                            .connections(connections)
                            .streams(connections * 256)
                            .timeoutMillis(REQUEST_TIMEOUT_MILLIS));
        }
        return client;
    }

    /** Request {@code i} of {@code phase} (its key and body), noting whether the fault is on as it goes out. */
    private LongFunction<LoadClient.Request<Boolean>> requests(int phase) {
        return i -> request(Requests.key(phase, i));
    }

    private LoadClient.Request<Boolean> request(String key) {
        return new LoadClient.Request<>(key, Buffer.buffer(requests.body(key)), fault.degraded());
    }

    /** Every answer to {@code outcomes}: a failure is "refused" (not processed) or "stream" (in doubt). */
    private Consumer<LoadClient.Answer<Boolean>> recorder(Outcomes outcomes, int attempt) {
        return a -> outcomes.record(
                a.request().key(),
                attempt,
                a.intendedNanos(),
                a.request().note(),
                fault.clearedAt(),
                a.status(),
                a.text(),
                a.header("Retry-After") != null,
                a.refused() ? "refused" : "stream",
                a.failure());
    }

    /** Until {@code run} has sent everything and every answer is in, or the deadline. */
    private void await(LoadClient.Run<Boolean> run, long deadlineNanos) {
        runs.add(run);
        run.await(deadlineNanos);
    }

    /** Requests the LoadClient sent and never answered (by any of its runs). */
    private long unanswered() {
        return runs.stream().mapToLong(r -> r.sent() - r.answered()).sum();
    }

    public static void main(String[] argv) throws Exception {
        Map<String, String> args = new HashMap<>();
        for (int i = 1; i < argv.length; i++) {
            int eq = argv[i].indexOf('=');
            if (eq > 0) args.put(argv[i].substring(0, eq), argv[i].substring(eq + 1));
        }
        String command = argv.length > 0 ? argv[0] : "";
        if (!command.equals("load") && !command.equals("retry")
                || !args.containsKey("phase")
                || !args.containsKey("out")) {
            System.err.println("usage: FaultDriver load|retry phase=N out=FILE ... (see the class comment)");
            System.exit(2);
        }
        FaultDriver driver = new FaultDriver(args);
        try {
            System.out.println("RESULT " + (command.equals("load") ? driver.load() : driver.retry()));
        } finally {
            if (driver.client != null) driver.client.close();
            driver.vertx.close().await(5, TimeUnit.SECONDS);
        }
        System.exit(0);
    }

    private String load() throws Exception {
        int phase = intArg("phase", 0);
        if (args.containsKey("flag")) {
            Path flag = Path.of(args.get("flag"));
            vertx.setPeriodic(20, id -> fault.observe(Files.exists(flag)));
        }
        String host = arg("host", "127.0.0.1");
        int port = intArg("port", 18090);
        // On the driver's own event loops (the LoadClient's too), so that LoopLag measures the loops that send.
        if (arg("sender", "vertx").equals("flood")) {
            flood = Flood.connect(
                    ((VertxInternal) vertx).nettyEventLoopGroup(),
                    host,
                    port,
                    intArg("connections", 8),
                    FloodRequests.of(requests, phase, host, port, arg("key", "sk_faults")),
                    fault);
        }
        LoopLag loopLag = new LoopLag(vertx, 2);
        Outcomes warm = warmUp(phase, intArg("warmup", 0));
        double rate = Double.parseDouble(arg("rate", "0"));
        ProbeFigures probed = null;
        Outcomes probe = null;
        if (args.containsKey("probe")) {
            probe = closedLoop(phase, 2_000_000_000L, intArg("streams", 256), intArg("probe", 10));
            rate = Double.parseDouble(arg("factor", "2")) * probe.createdPerSecond();
            probed = new ProbeFigures(
                    Math.round(probe.createdPerSecond()),
                    Math.round(rate),
                    probe.figures().overloaded());
        }
        loopLag.reset();
        long cpuStart = processCpuNanos();
        long start = System.nanoTime();
        long end = start + TimeUnit.SECONDS.toNanos(intArg("duration", 10));
        Outcomes outcomes = new Outcomes(start + (end - start) / 3);
        Monitor monitor = new Monitor(vertx, host, port, fault);
        monitor.start();
        FloodFigures flooded = null;
        if (flood != null && rate > 0) {
            flooded = flood.open(OpenSchedule.of(rate, start, end), outcomes, end + DRAIN_NANOS);
        } else if (flood != null) {
            flood.closedLoop(0, intArg("streams", 256), end, outcomes, end + DRAIN_NANOS);
        } else if (rate > 0) {
            await(
                    client().open(OpenSchedule.of(rate, start, end), requests(phase), recorder(outcomes, 0)),
                    end + DRAIN_NANOS);
        } else {
            await(
                    client().closed(
                                    Lane.Loop.until(0, end),
                                    intArg("streams", 256),
                                    requests(phase),
                                    recorder(outcomes, 0)),
                    end + DRAIN_NANOS);
        }
        long cpuNanos = processCpuNanos() - cpuStart;
        double driverCores = cpuNanos / (double) (System.nanoTime() - start);
        loopLag.stop();
        monitor.stop().await(5, TimeUnit.SECONDS);
        if (flood != null) flood.close();
        outcomes.write(Path.of(args.get("out")));
        warm.append(Path.of(args.get("out")));
        if (probe != null) probe.append(Path.of(args.get("out")));
        outcomes.examples().forEach((kind, example) -> System.out.println("first " + kind + ": " + example));
        return new LoadFigures(
                        outcomes.figures(),
                        monitor.figures(),
                        unanswered(),
                        flooded,
                        probed,
                        driverCores,
                        cpuNanos / 1e3 / Math.max(1, outcomes.sent()),
                        loopLag.p99Millis())
                .line();
    }

    /**
     * A closed loop of 16 streams first: a cold client sends its first requests seconds late (JIT, connection set-up),
     * which the open model would charge to the server. Its requests are real (keys from 10^9 on) and audited too.
     */
    private Outcomes warmUp(int phase, int seconds) throws Exception {
        return closedLoop(phase, 1_000_000_000L, 16, seconds);
    }

    /** A closed loop of {@code streams} for {@code seconds}, keys from {@code firstKey} on (apart from the measured ones). */
    private Outcomes closedLoop(int phase, long firstKey, int streams, int seconds) throws Exception {
        Outcomes outcomes = new Outcomes(Long.MAX_VALUE);
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        if (flood != null) {
            flood.closedLoop(firstKey, streams, end, outcomes, end + DRAIN_NANOS);
            return outcomes;
        }
        await(
                client().closed(Lane.Loop.until(firstKey, end), streams, requests(phase), recorder(outcomes, 0)),
                end + DRAIN_NANOS);
        return outcomes;
    }

    private String retry() throws Exception {
        Map<String, String[]> last = new HashMap<>();
        for (String file : args.get("in").split(",")) {
            for (String line : Files.readAllLines(Path.of(file))) {
                String[] f = line.split("\t", -1);
                String[] before = last.get(f[0]);
                if (before == null || Integer.parseInt(f[6]) >= Integer.parseInt(before[6])) last.put(f[0], f);
            }
        }
        List<String> pending = new ArrayList<>();
        last.forEach((key, f) -> {
            int status = Integer.parseInt(f[1]);
            if (status == 0 || status >= 500) pending.add(key);
        });
        Outcomes outcomes = new Outcomes(Long.MAX_VALUE);
        int round = 0;
        List<String> todo = pending;
        while (!todo.isEmpty() && round < intArg("rounds", 10)) {
            if (round++ > 0) Thread.sleep(1_000);
            List<String> current = todo;
            Queue<String> failed = new ConcurrentLinkedQueue<>();
            Consumer<LoadClient.Answer<Boolean>> record = recorder(outcomes, round);
            await(
                    client().closed(
                                    Lane.Loop.count(0, current.size()),
                                    intArg("streams", 64),
                                    i -> request(current.get((int) i)),
                                    a -> {
                                        record.accept(a);
                                        if (a.status() == 0 || a.status() >= 500)
                                            failed.add(a.request().key());
                                    }),
                    System.nanoTime() + DRAIN_NANOS * 4);
            todo = new ArrayList<>(failed);
        }
        outcomes.write(Path.of(args.get("out")));
        outcomes.examples().forEach((kind, example) -> System.out.println("first " + kind + ": " + example));
        return new RetryFigures(pending.size(), round, todo.size(), outcomes.figures()).line();
    }

    /** This driver's own CPU: on a shared box a saturated client shows up as the server's latency. */
    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    private String arg(String name, String fallback) {
        return args.getOrDefault(name, fallback);
    }

    private int intArg(String name, int fallback) {
        return Integer.parseInt(arg(name, Integer.toString(fallback)));
    }
}
