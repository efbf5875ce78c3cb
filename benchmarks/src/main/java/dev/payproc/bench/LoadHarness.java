package dev.payproc.bench;

import dev.payproc.bench.report.RunData;
import dev.payproc.bench.report.RunReport;
import dev.payproc.bench.report.RunSeries;
import dev.payproc.testkit.Lane;
import dev.payproc.testkit.LoadClient;
import dev.payproc.testkit.OpenSchedule;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import java.util.function.LongFunction;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * HTTP/2 (h2c, prior knowledge) load harness for {@code POST /v1/authorizations}.
 * <ul>
 *   <li>Open model ({@code RATE=n} per second): request k is due at {@code start + k/RATE}, whatever happened
 *   before; its latency is measured from that intended time, so a stalled server shows up as latency instead of
 *   silently slowing the client down (coordinated omission). Due requests beyond {@code STREAMS} in flight wait
 *   in the client, their clock already running.</li>
 *   <li>Closed model ({@code RATE=max}): {@code STREAMS} requests always in flight; latency from the actual send.</li>
 * </ul>
 * With {@code SETTLE=n} (open model only), n seconds at the measured rate follow the warm-up, not recorded either.
 * A closed-loop warm-up comes first, not recorded: at least {@code WARMUP} s, and on while the rate still climbs or
 * the JIT compilers (the harness's and, with SERVER_PID, the server's) still use over a tenth of a core, up to
 * {@code WARMUP_MAX} s. Under full load on two cores the server's C2 threads can stay busy for a minute; measured
 * while they are, a run charges the compiler's CPU to every answer.
 * The population is realistic enough for the risk rules: cards drawn from a Zipf-like power law over {@code CARDS}
 * Luhn-valid PANs, terminals uniform over {@code TERMINALS}, {@code DECLINE_SHARE} above the 10,000.00 EUR limit,
 * {@code CHALLENGE_SHARE} above 500.00 without cardholder verification, every other one small with PIN; a fresh
 * Idempotency-Key per request. Against a processor started with {@code BENCH_CEILING=1} the same requests measure
 * the HTTP/2 ceiling (label the run with {@code TARGET=ceiling}). With {@code PORT_SPREAD=n} the connections go round
 * robin to {@code PORT} .. {@code PORT+n-1}: several processes side by side ({@code scripts/cluster.sh}'s members;
 * {@code SERVER_PID} then measures one of them). See scripts/loadtest.sh for every setting.
 */
public final class LoadHarness {
    private static final long DRAIN_NANOS = TimeUnit.SECONDS.toNanos(15);

    /** Every setting, from the environment; {@code rate} 0 is the closed model. */
    record Settings(
            String host,
            int port,
            String apiKey,
            String merchantId,
            String target,
            double rate,
            int connections,
            int streams,
            int durationSeconds,
            int warmupSeconds,
            int warmupMaxSeconds,
            int settleSeconds,
            int clientThreads,
            int cards,
            double cardSkew,
            int terminals,
            double declineShare,
            double challengeShare,
            Path out,
            String serverPid,
            double searchP99Ms,
            int searchSteps,
            int searchDurationSeconds) {
        static Settings fromEnv() {
            String rate = env("RATE", "max");
            int connections = Math.max(1, intEnv("CONNECTIONS", 4));
            int warmup = intEnv("WARMUP", 10);
            return new Settings(
                    env("HOST", "127.0.0.1"),
                    intEnv("PORT", 8080),
                    env("DEMO_API_KEY", "sk_demo_local_only"),
                    env("DEMO_MERCHANT_ID", "m-1001"),
                    env("TARGET", "processor"),
                    rate.equalsIgnoreCase("max") ? 0 : Double.parseDouble(rate),
                    connections,
                    Math.max(connections, intEnv("STREAMS", 256)),
                    intEnv("DURATION", 20),
                    warmup,
                    Math.max(warmup, intEnv("WARMUP_MAX", 3 * warmup)),
                    intEnv("SETTLE", 0),
                    intEnv(
                            "CLIENT_THREADS",
                            Math.min(connections, Runtime.getRuntime().availableProcessors())),
                    intEnv("CARDS", 1_000_000),
                    Double.parseDouble(env("CARD_SKEW", "0.3")),
                    intEnv("TERMINALS", 20_000),
                    Double.parseDouble(env("DECLINE_SHARE", "0.03")),
                    Double.parseDouble(env("CHALLENGE_SHARE", "0.02")),
                    Path.of(env("OUT", "target/loadtest.hgrm")),
                    env("SERVER_PID", null),
                    Double.parseDouble(env("SEARCH_P99_MS", "0")),
                    intEnv("SEARCH_STEPS", 4),
                    intEnv("SEARCH_DURATION", 15));
        }
    }

    /**
     * Who pays what. Card rank r (0-based) is drawn by inverting the CDF of the continuous power law x^-s on
     * [1, cards+1], one pow() per draw instead of a table: s = 0 is uniform, s = 1 classic Zipf. The PAN of a rank
     * is fixed ("4" + 14 scrambled digits + Luhn digit), so a card keeps its identity across requests and runs.
     */
    static final class Population {
        private final String merchantId;
        private final int cards;
        private final double skew;
        private final double span; // (cards+1)^(1-s) - 1, or ln(cards+1) when s = 1
        private final int terminals;
        private final double declineShare;
        private final double challengeShare;
        private final String expiry =
                YearMonth.now(ZoneOffset.UTC).plusYears(3).format(DateTimeFormatter.ofPattern("MM/yy"));

        Population(Settings s) {
            this.merchantId = s.merchantId();
            this.cards = s.cards();
            this.skew = s.cardSkew();
            this.span = skew == 1 ? Math.log(cards + 1.0) : Math.pow(cards + 1.0, 1 - skew) - 1;
            this.terminals = s.terminals();
            this.declineShare = s.declineShare();
            this.challengeShare = s.challengeShare();
        }

        int cardRank(double u) {
            double x = skew == 1 ? Math.exp(u * span) : Math.pow(1 + u * span, 1 / (1 - skew));
            return Math.min(cards - 1, Math.max(0, (int) x - 1));
        }

        /** One request body, built by hand into {@code sb}: no JSON tree, no per-request formatting. */
        String body(StringBuilder sb, ThreadLocalRandom r) {
            double kind = r.nextDouble();
            long amount;
            String cvm = "PIN";
            String entryMode = r.nextBoolean() ? "CHIP" : "CONTACTLESS";
            if (kind < declineShare) {
                amount = 1_000_001 + r.nextInt(1_000_000); // AMOUNT_LIMIT (10,000.00) -> DECLINED
            } else if (kind < declineShare + challengeShare) {
                amount = 50_001 + r.nextInt(45_000); // STEP_UP above 500.00 without verification -> CHALLENGE;
                cvm = "NONE"; // below 1,000.00 so a first-seen card adds no points
                entryMode = "CONTACTLESS";
            } else {
                amount = 100 + r.nextInt(39_901); // up to 400.00: clear of the STRUCTURING bands (450-500, 9000-10000)
            }
            sb.setLength(0);
            sb.append("{\"merchantId\":\"")
                    .append(merchantId)
                    .append("\",\"terminalId\":\"t-")
                    .append(r.nextInt(terminals))
                    .append("\",\"amount\":")
                    .append(amount)
                    .append(",\"currency\":\"EUR\",\"card\":{\"pan\":\"");
            appendPan(sb, cardRank(r.nextDouble()));
            return sb.append("\",\"expiry\":\"")
                    .append(expiry)
                    .append("\"},\"entryMode\":\"")
                    .append(entryMode)
                    .append("\",\"mcc\":\"5411\",\"merchantCountry\":\"DE\",\"cardholderVerification\":\"")
                    .append(cvm)
                    .append("\",\"capture\":\"AUTO\"}")
                    .toString();
        }

        /** "4" + 14 digits (the rank times an odd constant not divisible by 5: a bijection mod 10^14) + Luhn digit. */
        static void appendPan(StringBuilder sb, long rank) {
            long body = 400_000_000_000_000L + rank * 735_632_791_357L % 100_000_000_000_000L;
            int sum = 0;
            long v = body;
            for (int pos = 0; pos < 15; pos++, v /= 10) { // pos 0 sits next to the check digit: doubled
                int d = (int) (v % 10);
                if (pos % 2 == 0) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
                sum += d;
            }
            sb.append(body).append((10 - sum % 10) % 10);
        }
    }

    /** What one phase observed; written from every client event loop, read by the main thread. */
    static final class Stats {
        final Recorder latency = new Recorder(3);
        final LongAdder completed = new LongAdder();
        final LongAdder ok = new LongAdder();
        final Map<String, LongAdder> outcomes = new ConcurrentHashMap<>();
        final Map<String, LongAdder> reasons = new ConcurrentHashMap<>();
        final Map<String, LongAdder> errors = new ConcurrentHashMap<>();
        final Map<String, String> firstError = new ConcurrentHashMap<>();

        void record(long latencyNanos, int status, Buffer body, Throwable failure) {
            latency.recordValue(Math.max(1, latencyNanos));
            completed.increment();
            if (failure != null) {
                error("transport " + failure.getClass().getSimpleName(), String.valueOf(failure.getMessage()));
            } else if (status < 200 || status > 299) {
                error("HTTP " + status, body == null ? "" : body.toString());
            } else {
                ok.increment();
                classify(body.toString());
            }
        }

        void error(String kind, String detail) {
            errors.computeIfAbsent(kind, k -> new LongAdder()).increment();
            firstError.putIfAbsent(kind, detail.length() > 200 ? detail.substring(0, 200) : detail);
        }

        /** The decision and the codes of the rules that fired, found by scanning the answer (no JSON tree). */
        private void classify(String json) {
            outcomes.computeIfAbsent(field(json, "\"status\":\"", 0), k -> new LongAdder())
                    .increment();
            for (int at = json.indexOf("\"code\":\""); at >= 0; at = json.indexOf("\"code\":\"", at + 1)) {
                reasons.computeIfAbsent(field(json, "\"code\":\"", at), k -> new LongAdder())
                        .increment();
            }
        }

        private static String field(String json, String prefix, int from) {
            int start = json.indexOf(prefix, from);
            if (start < 0) return "?";
            start += prefix.length();
            int end = json.indexOf('"', start);
            return end < 0 ? "?" : json.substring(start, end);
        }

        long errorCount() {
            return errors.values().stream().mapToLong(LongAdder::sum).sum();
        }
    }

    /**
     * One segment of the run: the warm-up (closed, not reported), the measured phase or a search step. Only a
     * warm-up's end moves (see {@link #run}), always at least a second ahead, so no stream sees a false end.
     */
    static final class Phase {
        private final boolean closed;
        private final long start;
        private final long openEnd;
        private final Lane.Loop loop; // the closed loop's end, else null
        private final Stats stats = new Stats();
        private LoadClient.Run<Void> sending;

        Phase(boolean closed, long start, long end) {
            this.closed = closed;
            this.start = start;
            this.openEnd = end;
            this.loop = closed ? Lane.Loop.until(0, end) : null;
        }

        long end() {
            return closed ? loop.endNanos() : openEnd;
        }

        Stats stats() {
            return stats;
        }

        /** Requests due so far (open model, those waiting for a stream included) or sent (closed). */
        long scheduled() {
            return sending.due();
        }

        /** Starts sending through {@code client}: the closed loop fills every stream at once. */
        void begin(LoadClient client, Settings s, LongFunction<LoadClient.Request<Void>> requests, double rate) {
            Consumer<LoadClient.Answer<Void>> record =
                    a -> stats.record(a.latencyNanos(), a.status(), a.body(), a.failure());
            sending = closed
                    ? client.closed(loop, s.streams(), requests, record)
                    : client.open(OpenSchedule.of(rate, start, openEnd), requests, record);
        }
    }

    /** The client, and what it sends: each phase's requests have keys of their own. */
    private static final class Sender {
        final LoadClient client;
        final Settings settings;
        private final Population population;
        private final String runId;
        private int phases;

        Sender(LoadClient client, Settings settings, Population population, String runId) {
            this.client = client;
            this.settings = settings;
            this.population = population;
            this.runId = runId;
        }

        LongFunction<LoadClient.Request<Void>> nextPhase() {
            return requests(population, runId, phases++);
        }
    }

    /** Phase {@code phase}'s request {@code i}: a body of the population, a key of its own in this run. */
    private static LongFunction<LoadClient.Request<Void>> requests(Population population, String runId, int phase) {
        String keyPrefix = "lt-" + runId + "-" + phase + "-";
        ThreadLocal<StringBuilder> bodies = ThreadLocal.withInitial(() -> new StringBuilder(512)); // per event loop
        return i -> LoadClient.Request.of(
                keyPrefix + i, Buffer.buffer(population.body(bodies.get(), ThreadLocalRandom.current())));
    }

    public static void main(String[] args) throws Exception {
        Settings s = Settings.fromEnv();
        System.out.printf(
                Locale.ROOT,
                "LoadHarness: %s, POST http://%s:%d/v1/authorizations (h2c), target %s; %d connections, %d streams, "
                        + "%d client event loops; warm-up %d-%d s (closed), measure %d s%s%n",
                model(s.rate(), s),
                s.host(),
                s.port(),
                s.target(),
                s.connections(),
                s.streams(),
                s.clientThreads(),
                s.warmupSeconds(),
                s.warmupMaxSeconds(),
                s.durationSeconds(),
                s.searchP99Ms() > 0
                        ? String.format(
                                Locale.ROOT,
                                "; then %d open-model steps of %d s for the highest rate with p99 < %.1f ms",
                                s.searchSteps(),
                                s.searchDurationSeconds(),
                                s.searchP99Ms())
                        : "");
        System.out.printf(
                Locale.ROOT,
                "population: merchant %s, %d cards (Zipf-like, s=%.2f), %d terminals, %.1f%% over the amount limit, "
                        + "%.1f%% step-up without verification%n",
                s.merchantId(),
                s.cards(),
                s.cardSkew(),
                s.terminals(),
                100 * s.declineShare(),
                100 * s.challengeShare());
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(s.clientThreads()));
        Population population = new Population(s);
        String runId = Long.toString(System.currentTimeMillis(), 36);
        int exit;
        LoadClient client = null;
        try {
            client = LoadClient.open(
                    vertx,
                    LoadClient.Config.post(s.host(), s.port(), "/v1/authorizations", s.apiKey())
                            .connections(s.connections())
                            .streams(s.streams())
                            .portSpread(Math.max(1, intEnv("PORT_SPREAD", 1))));
            if (client.connectFailure() != null) {
                System.err.printf(
                        "LoadHarness: cannot open HTTP/2 connections to %s:%d: %s%n",
                        s.host(), s.port(), client.connectFailure());
                System.exit(2);
            }
            Sender sender = new Sender(client, s, population, runId);
            client.describe().forEach(line -> System.out.println("  " + line));
            if (s.warmupSeconds() > 0) {
                Run warm = run(sender, "warm-up", 0, s.warmupSeconds(), s.warmupMaxSeconds(), s.serverPid());
                Stats w = warm.phase().stats();
                System.out.printf(
                        Locale.ROOT,
                        "warm-up: %d answers in %.0f s, errors: %s%n",
                        w.completed.sum(),
                        warm.cpu().wallSeconds(),
                        w.errors.isEmpty() ? "none" : counts(w.errors));
                w.firstError.forEach((kind, detail) -> System.out.println("  first " + kind + ": " + detail));
            }
            if (s.settleSeconds() > 0 && s.rate() > 0) {
                // At the measured rate, not recorded: the measured phase then starts in the steady state of that
                // rate, not in the server's recovery from the warm-up's maximum (its queues, the database's
                // checkpoint and autovacuum after the burst).
                run(sender, "settle", s.rate(), s.settleSeconds(), s.settleSeconds(), s.serverPid());
            }
            Run measured = run(sender, "measure", s.rate(), s.durationSeconds(), s.durationSeconds(), s.serverPid());
            List<Path> reports = new ArrayList<>();
            exit = report(s, measured, s.out(), reports);
            if (s.searchP99Ms() > 0) search(s, sender, measured.throughput(), reports);
            System.out.println(
                    "\nreports (HTML, latency percentile distribution and throughput/p99 over time as PNG):");
            reports.forEach(r -> System.out.println("  " + r));
        } finally {
            if (client != null) client.close();
            vertx.close().await(10, TimeUnit.SECONDS);
        }
        System.exit(exit);
    }

    /**
     * Bisection over open-model rates in (0, ceiling] for the highest whose p99 (from the intended send time) stays
     * under SEARCH_P99_MS with no error and no backlog; in this JVM, so every step runs on a warm client.
     */
    private static void search(Settings s, Sender sender, double ceiling, List<Path> reports)
            throws IOException, InterruptedException {
        double lo = 0;
        double hi = ceiling;
        Run best = null;
        Run lowestFailed = null;
        for (int step = 1; step <= s.searchSteps(); step++) {
            double rate = Math.round((lo + hi) / 2);
            Thread.sleep(1_000); // let the server's queues and the database settle after the previous step
            Run r = run(
                    sender, "step " + step, rate, s.searchDurationSeconds(), s.searchDurationSeconds(), s.serverPid());
            Stats st = r.phase().stats();
            boolean pass = r.p99Millis() < s.searchP99Ms()
                    && st.errorCount() == 0
                    && r.phase().scheduled() == st.completed.sum();
            report(
                    s,
                    r,
                    Path.of(s.out().toString().replaceFirst("(\\.hgrm)?$", "-open-" + (long) rate + ".hgrm")),
                    reports);
            System.out.printf(
                    Locale.ROOT,
                    "step %d: %.0f/s -> p99 %.2f ms, %d errors: %s%n",
                    step,
                    rate,
                    r.p99Millis(),
                    st.errorCount(),
                    pass ? "holds" : "too much");
            if (pass) {
                lo = rate;
                best = r;
            } else {
                hi = rate;
                lowestFailed = r;
            }
        }
        if (best == null) {
            System.out.printf(
                    Locale.ROOT,
                    "SEARCH p99_target=%.1f best_rate=0 (no step kept p99 under the target; the lowest, %.0f/s, "
                            + "had p99 %.2f ms)%n",
                    s.searchP99Ms(),
                    lowestFailed.rate(),
                    lowestFailed.p99Millis());
        } else {
            System.out.printf(
                    Locale.ROOT,
                    "SEARCH p99_target=%.1f best_rate=%.0f p99=%.3f throughput=%.0f next_failed=%.0f%n",
                    s.searchP99Ms(),
                    best.rate(),
                    best.p99Millis(),
                    best.throughput(),
                    hi);
        }
    }

    /** A finished phase: what it observed, its whole latency histogram, its CPU figures and its per-second samples. */
    record Run(Phase phase, double rate, Histogram latency, CpuMeter.Use cpu, RunSeries series, Instant started) {
        double throughput() {
            return phase.stats().completed.sum() / cpu.wallSeconds();
        }

        double p99Millis() {
            return latency.getValueAtPercentile(99) / 1e6;
        }
    }

    /**
     * Runs one phase, closed ({@code rate} 0) or open, to its end and until everything it issued is answered (or
     * DRAIN_NANOS pass), printing a progress line each second. A warm-up ({@code maxSeconds} > {@code seconds})
     * goes on past {@code seconds} while the closed-loop rate still climbs or the JIT still compiles: on a busy
     * two-core box the JIT of a fresh client and server can take far longer than usual.
     */
    private static Run run(Sender sender, String name, double rate, int seconds, int maxSeconds, String serverPid) {
        boolean closed = rate <= 0;
        long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(10);
        Phase phase = new Phase(closed, start, start + TimeUnit.SECONDS.toNanos(seconds));
        Stats st = phase.stats();
        CpuMeter meter = new CpuMeter(serverPid);
        phase.begin(sender.client, sender.settings, sender.nextPhase(), rate);
        Histogram total = new Histogram(3);
        Histogram interval = null;
        RunSeries series = new RunSeries();
        Instant started = Instant.now();
        List<Double> rates = new ArrayList<>();
        List<Double> compiled = new ArrayList<>(); // the compilers' CPU seconds so far, each second of a warm-up
        boolean warmUp = maxSeconds > seconds;
        long lastPrint = start;
        long lastCompleted = 0;
        long lastErrors = 0;
        for (int second = 1; ; ) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
            long now = System.nanoTime();
            boolean over = now >= phase.end() && (phase.sending.finished() || now > phase.end() + DRAIN_NANOS);
            if (now < start + TimeUnit.SECONDS.toNanos(second) && !over) continue;
            interval = st.latency.getIntervalHistogram(interval);
            total.add(interval);
            long completed = st.completed.sum();
            double perSecond = (completed - lastCompleted) * 1e9 / Math.max(1, now - lastPrint);
            rates.add(perSecond);
            long errors = st.errorCount();
            if (now - lastPrint
                    >= TimeUnit.MILLISECONDS.toNanos(500)) { // not the drain's last few ms: no rate to speak of
                series.add(new RunSeries.Sample(
                        (now - start) / 1e9,
                        perSecond,
                        interval.getValueAtPercentile(99) / 1e6,
                        (errors - lastErrors) * 1e9 / (now - lastPrint)));
            }
            System.out.printf(
                    Locale.ROOT,
                    "[%-7s %3ds] sent %9d  done %9d  %7.0f/s  in flight %6d  errors %6d  p99 %8.2f ms%n",
                    name,
                    second,
                    phase.scheduled(),
                    completed,
                    perSecond,
                    phase.scheduled() - completed,
                    st.errorCount(),
                    interval.getValueAtPercentile(99) / 1e6);
            if (warmUp) compiled.add(CpuMeter.compilerSeconds(serverPid));
            if (second >= seconds - 1 && second < maxSeconds - 1 && (climbing(rates) || compiling(compiled))) {
                phase.loop.extendTo(start + TimeUnit.SECONDS.toNanos(second + 2L));
            }
            second++;
            lastPrint = now;
            lastCompleted = completed;
            lastErrors = errors;
            if (over) break;
        }
        return new Run(phase, rate, total, meter.stop(), series, started);
    }

    /** Whether the last two seconds' rate is more than 10 % above the two before. */
    private static boolean climbing(List<Double> rates) {
        int n = rates.size();
        return n >= 4 && rates.get(n - 1) + rates.get(n - 2) > 1.1 * (rates.get(n - 3) + rates.get(n - 4));
    }

    /** Whether the JIT compilers used more than a tenth of a core over the last two seconds. */
    private static boolean compiling(List<Double> compiled) {
        int n = compiled.size();
        return n >= 3 && compiled.get(n - 1) - compiled.get(n - 3) > 0.2;
    }

    private static String model(double rate, Settings s) {
        return rate > 0
                ? String.format(Locale.ROOT, "open model at %.0f/s", rate)
                : "closed model, " + s.streams() + " streams";
    }

    /**
     * Prints a measured phase, writes its .hgrm, its report (HTML, PNG charts and the JSON bench.sh combines; their
     * paths go to {@code reports}) and a one-line RESULT for scripts; the exit status.
     */
    private static int report(Settings s, Run run, Path hgrm, List<Path> reports) throws IOException {
        Histogram h = run.latency();
        CpuMeter.Use cpu = run.cpu();
        Stats st = run.phase().stats();
        long completed = st.completed.sum();
        long ok = st.ok.sum();
        long unfinished = run.phase().scheduled() - completed;
        double seconds = cpu.wallSeconds();
        boolean open = run.rate() > 0;
        System.out.printf(Locale.ROOT, "%nResult (%s, target %s)%n", model(run.rate(), s), s.target());
        System.out.printf(
                Locale.ROOT,
                "  throughput   %.0f answers/s (%d in %.2f s; 2xx %d = %.0f/s)%s%n",
                run.throughput(),
                completed,
                seconds,
                ok,
                ok / seconds,
                unfinished > 0 ? "; " + unfinished + " unanswered after the drain, not in the percentiles" : "");
        System.out.println("  outcomes     " + mix(st.outcomes, ok));
        System.out.println("  reasons      " + mix(st.reasons, ok) + "  (share of 2xx answers carrying the code)");
        System.out.println("  errors       " + (st.errors.isEmpty() ? "none" : counts(st.errors)));
        st.firstError.forEach((kind, detail) -> System.out.println("    first " + kind + ": " + detail));
        System.out.printf(
                Locale.ROOT,
                "  latency ms   p50 %.2f  p90 %.2f  p99 %.2f  p99.9 %.2f  max %.2f  (%s)%n",
                ms(h, 50),
                ms(h, 90),
                ms(h, 99),
                ms(h, 99.9),
                h.getMaxValue() / 1e6,
                open ? "from the intended send time: corrected for coordinated omission" : "from the send time");
        List<String> cpuLines = new ArrayList<>();
        cpuLines.add(cpu.line("client (this harness)", cpu.self(), completed, "answer")
                + String.format(Locale.ROOT, "; JIT compiler threads %.2f s of it", cpu.selfJit()));
        if (!Double.isNaN(cpu.server())) {
            cpuLines.add(cpu.line("server (SERVER_PID)", cpu.server(), completed, "answer")
                    + String.format(Locale.ROOT, "; JIT compiler threads %.2f s of it", cpu.serverJit()));
        }
        cpuLines.add(cpu.line("PostgreSQL (all databases)", cpu.postgres(), completed, "answer"));
        if (!Double.isNaN(cpu.boxCores())) cpuLines.add(cpu.box());
        for (int i = 0; i < cpuLines.size(); i++)
            System.out.println((i == 0 ? "  CPU          " : "               ") + cpuLines.get(i));
        Path out = hgrm.toAbsolutePath();
        Files.createDirectories(out.getParent());
        try (PrintStream ps = new PrintStream(Files.newOutputStream(out))) {
            h.outputPercentileDistribution(ps, 1e6); // values in ms
        }
        System.out.println("  histogram    " + out);
        List<String> notes = new ArrayList<>(cpuLines);
        st.firstError.forEach((kind, detail) -> notes.add("first " + kind + ": " + detail));
        RunData data = new RunData(
                s.target() + ": " + model(run.rate(), s),
                String.format(
                        Locale.ROOT,
                        "POST http://%s:%d/v1/authorizations (h2c), %d connections, %d streams; measured from %s for %.1f s; latency %s",
                        s.host(),
                        s.port(),
                        s.connections(),
                        s.streams(),
                        run.started().truncatedTo(ChronoUnit.SECONDS),
                        seconds,
                        open ? "from the intended send time (coordinated omission corrected)" : "from the send time"),
                seconds,
                completed,
                ok,
                unfinished,
                sums(st.outcomes),
                sums(st.reasons),
                sums(st.errors),
                notes,
                h,
                run.series().samples());
        List<Path> written = RunReport.write(data, out);
        System.out.println("  report       " + written.get(0));
        reports.addAll(written);
        System.out.printf(
                Locale.ROOT,
                "RESULT target=%s model=%s rate=%s throughput=%.0f ok=%d errors=%d unfinished=%d p50=%.3f p90=%.3f "
                        + "p99=%.3f p999=%.3f max=%.3f client_cpu_pct=%.0f client_us=%.1f client_jit_s=%.2f server_cpu_pct=%.0f "
                        + "server_us=%.1f server_jit_s=%.2f postgres_cpu_pct=%.0f postgres_us=%.1f box_cores=%.2f other_cores=%.2f%n",
                s.target(),
                open ? "open" : "closed",
                open ? String.format(Locale.ROOT, "%.0f", run.rate()) : "max",
                run.throughput(),
                ok,
                st.errorCount(),
                unfinished,
                ms(h, 50),
                ms(h, 90),
                ms(h, 99),
                ms(h, 99.9),
                h.getMaxValue() / 1e6,
                100 * cpu.self() / seconds,
                perAnswer(cpu.self(), completed),
                cpu.selfJit(),
                100 * cpu.server() / seconds,
                perAnswer(cpu.server(), completed),
                cpu.serverJit(),
                100 * cpu.postgres() / seconds,
                perAnswer(cpu.postgres(), completed),
                cpu.boxCores(),
                cpu.otherCores());
        return ok > 0 ? 0 : 1;
    }

    private static double ms(Histogram h, double percentile) {
        return h.getValueAtPercentile(percentile) / 1e6;
    }

    private static double perAnswer(double cpuSeconds, long answers) {
        return answers == 0 ? 0 : cpuSeconds * 1e6 / answers;
    }

    private static String mix(Map<String, LongAdder> counts, long of) {
        if (counts.isEmpty()) return "-";
        StringBuilder sb = new StringBuilder();
        new TreeMap<>(counts)
                .forEach((k, v) -> sb.append(sb.length() == 0 ? "" : "  ")
                        .append(k)
                        .append(' ')
                        .append(v.sum())
                        .append(String.format(Locale.ROOT, " (%.2f%%)", 100.0 * v.sum() / Math.max(1, of))));
        return sb.toString();
    }

    private static Map<String, Long> sums(Map<String, LongAdder> counts) {
        Map<String, Long> sums = new TreeMap<>();
        counts.forEach((k, v) -> sums.put(k, v.sum()));
        return sums;
    }

    private static String counts(Map<String, LongAdder> counts) {
        StringBuilder sb = new StringBuilder();
        new TreeMap<>(counts)
                .forEach((k, v) -> sb.append(sb.length() == 0 ? "" : ", ")
                        .append(k)
                        .append(": ")
                        .append(v.sum()));
        return sb.toString();
    }

    private static String env(String name, String fallback) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? fallback : v.trim();
    }

    private static int intEnv(String name, int fallback) {
        return Integer.parseInt(env(name, Integer.toString(fallback)));
    }
}
