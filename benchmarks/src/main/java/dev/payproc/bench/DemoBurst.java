package dev.payproc.bench;

import dev.payproc.testkit.Lane;
import dev.payproc.testkit.LoadClient;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.HdrHistogram.Histogram;

/**
 * Sends a short burst of real authorizations to a running processor (h2c, prior knowledge) and prints
 * what happened: a hot card tripping the velocity rule, sample decisions, and a latency summary.
 * Settings: PORT, HOST, DEMO_MERCHANT_ID, DEMO_API_KEY (required), BURST, CONCURRENCY.
 */
public final class DemoBurst {
    private static final int HOT_CARD_ATTEMPTS = 8;
    private static final long LIMIT_BUSTING_AMOUNT = 1_500_000; // above the 10,000.00 EUR AMOUNT_LIMIT
    private static final String[] ENTRY_MODES = {"CHIP", "CONTACTLESS", "MAGSTRIPE", "ECOMMERCE", "MANUAL"};

    /** One exchange; {@code http} is 0 when no response arrived (then {@code body} holds the error). */
    private record Result(int index, int http, long nanos, String body) {
        boolean ok() {
            return http >= 200 && http < 300;
        }

        JsonObject json() {
            try {
                return new JsonObject(body);
            } catch (RuntimeException e) {
                return new JsonObject();
            }
        }
    }

    /** Tries of one authorization: a terminal told {@code 503} with {@code Retry-After} sends it again, same key. */
    private static final int TRIES = 5;

    private final Random random = new Random();
    private final String runId = Long.toString(System.currentTimeMillis(), 36);
    private final LoadClient client;
    private final String merchantId;
    private final AtomicInteger retried = new AtomicInteger();

    private DemoBurst(LoadClient client, String merchantId) {
        this.client = client;
        this.merchantId = merchantId;
    }

    public static void main(String[] args) throws Exception {
        String apiKey = env("DEMO_API_KEY", null);
        if (apiKey == null) usage("DEMO_API_KEY is required (the demo merchant's terminal API key)");
        String host = env("HOST", "127.0.0.1");
        String merchantId = env("DEMO_MERCHANT_ID", "m-1001");
        int port = intEnv("PORT", 8080);
        int burst = Math.max(HOT_CARD_ATTEMPTS, intEnv("BURST", 2000));
        int concurrency = Math.max(1, intEnv("CONCURRENCY", 64));

        Vertx vertx = Vertx.vertx();
        int exit;
        try {
            // One connection per 128 streams (the gateway allows 256 per connection). A terminal told 503 with
            // Retry-After (a cold or busy processor sheds load; nothing was committed) sends the same request again
            // after that wait, up to TRIES times; the latency counts every try.
            LoadClient client = LoadClient.open(
                    vertx,
                    LoadClient.Config.post(host, port, "/v1/authorizations", apiKey)
                            .connections(Math.max(1, concurrency / 128))
                            .streams(concurrency)
                            .timeoutMillis(30_000)
                            .tries(TRIES));
            System.out.printf(
                    "DemoBurst: %d authorizations to http://%s:%d/v1/authorizations (h2c), merchant %s, %d in flight%n",
                    burst, host, port, merchantId, concurrency);
            try (client) {
                exit = new DemoBurst(client, merchantId).run(burst, concurrency);
            }
        } finally {
            vertx.close().await(10, TimeUnit.SECONDS);
        }
        System.exit(exit);
    }

    private int run(int burst, int concurrency) throws Exception {
        Result[] results = new Result[burst];
        long start = System.nanoTime();

        System.out.println(
                "\nHot card: " + HOT_CARD_ATTEMPTS + " attempts in a row (more than 5 per 60 s are declined)");
        String hotPan = luhnPan();
        for (int i = 0; i < HOT_CARD_ATTEMPTS; i++) { // one at a time: each sees the ones before it
            long amount = 100 + random.nextInt(49_901);
            LoadClient.Run<Void> one = client.closed(
                    Lane.Loop.count(i, i + 1), 1, k -> request((int) k, hotPan, amount), a -> keep(results, a));
            if (!one.await(System.nanoTime() + TimeUnit.SECONDS.toNanos(60)))
                throw new IllegalStateException("no answer within 60 s");
            System.out.println(line(results[i]));
            if (results[i].http() == 0) {
                System.out.println("DemoBurst: no answer from the processor, giving up");
                return 1;
            }
        }

        // Round robin over the pool: at most 5 uses per card, so only the hot card trips VELOCITY_CARD.
        int concurrent = burst - HOT_CARD_ATTEMPTS;
        String[] pool = new String[Math.max(500, (concurrent + 4) / 5)];
        for (int i = 0; i < pool.length; i++) pool[i] = luhnPan();
        long mainStart = System.nanoTime();
        LoadClient.Run<Void> main = client.closed(
                Lane.Loop.count(HOT_CARD_ATTEMPTS, burst),
                Math.min(concurrency, concurrent),
                k -> {
                    long amount = random.nextInt(100) < 3 ? LIMIT_BUSTING_AMOUNT : 100 + random.nextInt(49_901);
                    return request((int) k, pool[(int) k % pool.length], amount);
                },
                a -> keep(results, a));
        if (!main.await(mainStart + TimeUnit.SECONDS.toNanos(120)))
            throw new IllegalStateException("burst did not finish within 120 s");
        long end = System.nanoTime();

        System.out.println("\nSamples from the concurrent burst:");
        for (Result r : samples(results)) System.out.println(line(r));
        summary(results, end - start, concurrent, end - mainStart);
        return Arrays.stream(results).allMatch(Result::ok) ? 0 : 1;
    }

    /** An answer as a Result: a transport error is status 0 with the error as its body. */
    private void keep(Result[] results, LoadClient.Answer<Void> a) {
        retried.addAndGet(a.tries() - 1);
        int i = (int) a.index();
        results[i] = a.failure() != null
                ? new Result(i, 0, a.latencyNanos(), String.valueOf(a.failure()))
                : new Result(i, a.status(), a.latencyNanos(), a.text());
    }

    /** Authorization {@code i}, as a terminal sends it, with a key of its own. */
    private LoadClient.Request<Void> request(int i, String pan, long amount) {
        JsonObject body = new JsonObject()
                .put("merchantId", merchantId)
                .put("terminalId", "t-" + (1 + i % 64))
                .put("amount", amount)
                .put("currency", "EUR")
                .put("card", new JsonObject().put("pan", pan).put("expiry", "12/30"))
                .put("entryMode", ENTRY_MODES[i % ENTRY_MODES.length])
                .put("mcc", "5411")
                .put("merchantCountry", "DE")
                .put("cardholderVerification", "PIN")
                .put("capture", "AUTO");
        return LoadClient.Request.of("demo-" + runId + "-" + i, body.toBuffer());
    }

    /** Five main-burst results: the first approval, the first AMOUNT_LIMIT decline, then the earliest others. */
    private static List<Result> samples(Result[] results) {
        List<Result> picked = new ArrayList<>();
        pick(picked, results, r -> "APPROVED".equals(r.json().getString("status")));
        pick(picked, results, r -> codes(r.json()).contains("AMOUNT_LIMIT"));
        while (picked.size() < 5 && picked.size() < results.length - HOT_CARD_ATTEMPTS)
            pick(picked, results, r -> true);
        picked.sort((a, b) -> Integer.compare(a.index(), b.index()));
        return picked;
    }

    private static void pick(List<Result> picked, Result[] results, Predicate<Result> p) {
        for (int i = HOT_CARD_ATTEMPTS; i < results.length; i++) {
            if (!picked.contains(results[i]) && p.test(results[i])) {
                picked.add(results[i]);
                return;
            }
        }
    }

    private void summary(Result[] results, long elapsedNanos, int concurrent, long mainNanos) {
        Map<Integer, Integer> byHttp = new TreeMap<>();
        Map<String, Integer> byStatus = new TreeMap<>();
        Map<String, Integer> byReason = new TreeMap<>();
        // Latency of the concurrent part only: the first sequential request also pays for connecting.
        Histogram latency = new Histogram(TimeUnit.MINUTES.toNanos(2), 3);
        List<Result> errors = new ArrayList<>();
        for (Result r : results) {
            byHttp.merge(r.http(), 1, Integer::sum);
            JsonObject json = r.json();
            if (r.ok()) byStatus.merge(json.getString("status", "?"), 1, Integer::sum);
            else errors.add(r);
            for (String code : codes(json)) byReason.merge(code, 1, Integer::sum);
            if (r.index() >= HOT_CARD_ATTEMPTS)
                latency.recordValue(Math.min(r.nanos(), latency.getHighestTrackableValue()));
        }
        System.out.println("\nSummary");
        System.out.printf(
                "  sent        %d (%d hot-card + %d concurrent)%n", results.length, HOT_CARD_ATTEMPTS, concurrent);
        System.out.println("  HTTP status " + byHttp + (byHttp.containsKey(0) ? "  (0 = no response)" : "")
                + (retried.get() > 0
                        ? "; " + retried.get() + " tries answered 503 with Retry-After were sent again, same key"
                        : ""));
        System.out.println("  decisions   " + byStatus);
        System.out.println("  reasons     " + byReason);
        System.out.printf(
                "  elapsed     %.2f s; concurrent part %.2f s = %.0f req/s%n",
                elapsedNanos / 1e9, mainNanos / 1e9, concurrent / Math.max(mainNanos / 1e9, 1e-9));
        System.out.printf(
                "  latency ms  (concurrent part)  p50 %.2f  p90 %.2f  p99 %.2f  p99.9 %.2f  max %.2f%n",
                ms(latency.getValueAtPercentile(50)),
                ms(latency.getValueAtPercentile(90)),
                ms(latency.getValueAtPercentile(99)),
                ms(latency.getValueAtPercentile(99.9)),
                ms(latency.getMaxValue()));
        if (!errors.isEmpty()) {
            System.out.println("\n" + errors.size() + " request(s) without a 2xx; first ones:");
            errors.stream()
                    .limit(3)
                    .forEach(r -> System.out.println("  #" + r.index() + " HTTP " + r.http() + ": " + r.body()));
        }
    }

    private static String line(Result r) {
        if (!r.ok())
            return String.format("  #%-4d %6.1f ms  HTTP %d  %s", r.index(), ms(r.nanos()), r.http(), r.body());
        JsonObject json = r.json();
        JsonArray reasons = json.getJsonArray("reasons", new JsonArray());
        StringBuilder why = new StringBuilder();
        for (int i = 0; i < reasons.size(); i++) {
            JsonObject reason = reasons.getJsonObject(i);
            why.append(i == 0 ? "" : "; ")
                    .append(reason.getString("code"))
                    .append(": ")
                    .append(reason.getString("message"));
        }
        String masked = json.getJsonObject("card", new JsonObject()).getString("masked", "?");
        return String.format(
                "  #%-4d %6.1f ms  HTTP %d  %-9s score %4s  %s  %s",
                r.index(),
                ms(r.nanos()),
                r.http(),
                json.getString("status"),
                json.getValue("riskScore"),
                masked,
                why.length() == 0 ? "-" : why);
    }

    private static List<String> codes(JsonObject json) {
        List<String> codes = new ArrayList<>();
        JsonArray reasons = json.getJsonArray("reasons", new JsonArray());
        for (int i = 0; i < reasons.size(); i++)
            codes.add(reasons.getJsonObject(i).getString("code"));
        return codes;
    }

    /** A random 16-digit Visa-style test PAN ("4" + 14 random digits + Luhn check digit). */
    private String luhnPan() {
        StringBuilder pan = new StringBuilder("4");
        for (int i = 0; i < 14; i++) pan.append(random.nextInt(10));
        int sum = 0;
        for (int i = pan.length() - 1, pos = 0; i >= 0; i--, pos++) { // pos 0 is next to the check digit: doubled
            int d = pan.charAt(i) - '0';
            if (pos % 2 == 0) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
            sum += d;
        }
        return pan.append((10 - sum % 10) % 10).toString();
    }

    private static double ms(long nanos) {
        return nanos / 1e6;
    }

    private static String env(String name, String fallback) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? fallback : v.trim();
    }

    private static int intEnv(String name, int fallback) {
        try {
            return Integer.parseInt(env(name, Integer.toString(fallback)));
        } catch (NumberFormatException e) {
            return usage(name + " must be an integer, got '" + System.getenv(name) + "'");
        }
    }

    private static int usage(String message) {
        System.err.println("DemoBurst: " + message);
        System.exit(2);
        return 2;
    }
}
