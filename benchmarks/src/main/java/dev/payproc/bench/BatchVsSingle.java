package dev.payproc.bench;

import dev.payproc.testkit.H2Client;
import dev.payproc.testkit.H2c;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Measures {@code POST /v1/authorizations/batch} against single {@code POST /v1/authorizations} on the same
 * running processor, in one run: the same number of fresh authorizations (unique keys, unique cards) both
 * ways, closed loop, after a warm-up of each. Prints authorizations per second and, with SERVER_PID, the
 * server's CPU milliseconds per 1000 authorizations, which is what "more throughput per core" means here.
 * Settings: PORT, HOST, DEMO_API_KEY, DEMO_MERCHANT_ID, TOTAL (20000), STREAMS (256 single requests in
 * flight), BATCH_SIZE (100), BATCHES_IN_FLIGHT (4), SERVER_PID (optional).
 */
public final class BatchVsSingle {
    private static final String RUN = Long.toString(System.currentTimeMillis(), 36);
    private static final AtomicLong CARD =
            new AtomicLong(400_000_000_000_000L + (System.nanoTime() % 1_000_000L) * 100_000);

    private final HttpClient client;
    private final String merchantId;
    private final String apiKey;
    private final AtomicInteger errors = new AtomicInteger();
    private final AtomicReference<String> firstError = new AtomicReference<>();
    /** Each phase (warm-up, measurement) uses fresh keys, so nothing is a replay. */
    private final AtomicInteger phase = new AtomicInteger();

    private BatchVsSingle(HttpClient client, String merchantId, String apiKey) {
        this.client = client;
        this.merchantId = merchantId;
        this.apiKey = apiKey;
    }

    public static void main(String[] args) throws Exception {
        String apiKey = System.getenv("DEMO_API_KEY");
        if (apiKey == null) {
            System.err.println("BatchVsSingle: DEMO_API_KEY is required");
            System.exit(2);
        }
        int total = intEnv("TOTAL", 20_000);
        int streams = intEnv("STREAMS", 256);
        int batchSize = intEnv("BATCH_SIZE", 100);
        int batchesInFlight = intEnv("BATCHES_IN_FLIGHT", 4);
        String pid = System.getenv("SERVER_PID");
        Vertx vertx = Vertx.vertx();
        HttpClient client = vertx.createHttpClient(
                H2c.priorKnowledge().setDefaultHost(env("HOST", "127.0.0.1")).setDefaultPort(intEnv("PORT", 8080)),
                new PoolOptions().setHttp2MaxSize(2));
        BatchVsSingle b = new BatchVsSingle(client, env("DEMO_MERCHANT_ID", "m-1001"), apiKey);
        try {
            System.out.printf(
                    "BatchVsSingle: %d authorizations each way; singles %d in flight; batches of %d, %d in flight%n",
                    total, streams, batchSize, batchesInFlight);
            b.singles(total / 4, streams);
            b.batches(total / 4, batchSize, batchesInFlight);
            System.out.println("warm-up done");
            double[] single = b.measure(pid, () -> b.singles(total, streams));
            double[] batch = b.measure(pid, () -> b.batches(total, batchSize, batchesInFlight));
            report("single", total, single);
            report("batch", total, batch);
            System.out.printf("ratio batch/single throughput: %.2f%n", (total / batch[0]) / (total / single[0]));
            if (single[1] > 0)
                System.out.printf("ratio single/batch server CPU per authorization: %.2f%n", single[1] / batch[1]);
            System.out.println("errors: " + b.errors.get()
                    + (b.firstError.get() == null ? "" : " (first: " + b.firstError.get() + ")"));
        } finally {
            client.close().await(10, TimeUnit.SECONDS);
            vertx.close().await(10, TimeUnit.SECONDS);
        }
        System.exit(b.errors.get() == 0 ? 0 : 1);
    }

    private interface Run {
        void run() throws Exception;
    }

    /** Seconds elapsed, and server CPU seconds (0 without SERVER_PID). */
    private double[] measure(String pid, Run run) throws Exception {
        double cpuBefore = serverCpuSeconds(pid);
        long clientCpuBefore = clientCpuNanos();
        long start = System.nanoTime();
        run.run();
        double elapsed = (System.nanoTime() - start) / 1e9;
        return new double[] {elapsed, serverCpuSeconds(pid) - cpuBefore, (clientCpuNanos() - clientCpuBefore) / 1e9};
    }

    private static void report(String mode, int total, double[] m) {
        System.out.printf(
                "%-6s %8.0f authorizations/s  (%.2f s; client CPU %.1f s%s)%n",
                mode,
                total / m[0],
                m[0],
                m[2],
                m[1] > 0 ? String.format("; server CPU %.1f s = %.0f ms per 1000", m[1], m[1] * 1e6 / total) : "");
    }

    private void singles(int total, int streams) throws InterruptedException {
        AtomicInteger next = new AtomicInteger();
        CountDownLatch done = new CountDownLatch(total);
        String prefix = "s-" + RUN + "-" + phase.incrementAndGet() + "-";
        for (int s = 0; s < Math.min(streams, total); s++) single(prefix, next, total, done);
        if (!done.await(300, TimeUnit.SECONDS)) throw new IllegalStateException("singles did not finish");
    }

    private void single(String prefix, AtomicInteger next, int total, CountDownLatch done) {
        int i = next.getAndIncrement();
        if (i >= total) return;
        post("/v1/authorizations", prefix + i, authorization(i, null).toString())
                .onComplete(ar -> {
                    check(ar, 201);
                    done.countDown();
                    single(prefix, next, total, done);
                });
    }

    private void batches(int total, int size, int inFlight) throws InterruptedException {
        int count = (total + size - 1) / size;
        AtomicInteger next = new AtomicInteger();
        CountDownLatch done = new CountDownLatch(count);
        String prefix = "b-" + RUN + "-" + phase.incrementAndGet() + "-";
        for (int s = 0; s < Math.min(inFlight, count); s++) batch(prefix, next, count, size, total, done);
        if (!done.await(300, TimeUnit.SECONDS)) throw new IllegalStateException("batches did not finish");
    }

    private void batch(String prefix, AtomicInteger next, int count, int size, int total, CountDownLatch done) {
        int b = next.getAndIncrement();
        if (b >= count) return;
        StringBuilder body = new StringBuilder(400 * size).append("{\"items\":[");
        for (int i = b * size; i < Math.min(total, (b + 1) * size); i++) {
            if (i > b * size) body.append(',');
            body.append(authorization(i, prefix + i));
        }
        post("/v1/authorizations/batch", null, body.append("]}").toString()).onComplete(ar -> {
            check(ar, 200);
            if (ar.succeeded() && ar.result().contains("\"httpStatus\":5"))
                fail("a batch item failed: " + ar.result().substring(0, 200));
            done.countDown();
            batch(prefix, next, count, size, total, done);
        });
    }

    private StringBuilder authorization(int i, String idempotencyKey) {
        StringBuilder sb = new StringBuilder(400).append('{');
        if (idempotencyKey != null)
            sb.append("\"idempotencyKey\":\"").append(idempotencyKey).append("\",");
        return sb.append("\"merchantId\":\"")
                .append(merchantId)
                .append("\",\"terminalId\":\"t-")
                .append(i % 5000)
                .append("\",\"amount\":")
                .append(100 + i % 40_000)
                .append(",\"currency\":\"EUR\",\"card\":{\"pan\":\"")
                .append(freshPan())
                .append("\",\"expiry\":\"12/30\"},\"entryMode\":\"CHIP\",\"mcc\":\"5411\",")
                .append("\"merchantCountry\":\"DE\",\"cardholderVerification\":\"PIN\",\"capture\":\"AUTO\"}");
    }

    /** A Luhn-valid 16-digit PAN not used before in this run, so no card trips the velocity rule. */
    private static String freshPan() {
        String body = Long.toString(CARD.incrementAndGet()).substring(0, 15);
        int sum = 0;
        for (int i = 0; i < 15; i++) {
            int d = body.charAt(14 - i) - '0';
            if (i % 2 == 0) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
            sum += d;
        }
        return body + (10 - sum % 10) % 10;
    }

    private Future<String> post(String path, String idempotencyKey, String body) {
        RequestOptions o = new RequestOptions()
                .setMethod(HttpMethod.POST)
                .setURI(path)
                .putHeader("Authorization", "Bearer " + apiKey)
                .putHeader("Content-Type", "application/json");
        if (idempotencyKey != null) o.putHeader("Idempotency-Key", idempotencyKey);
        return client.request(o)
                .compose(req -> H2Client.exchange(req, Buffer.buffer(body)))
                .map(r -> r.status() + " " + r.body());
    }

    private void check(io.vertx.core.AsyncResult<String> ar, int expected) {
        if (ar.failed()) fail(String.valueOf(ar.cause()));
        else if (!ar.result().startsWith(expected + " "))
            fail(ar.result().substring(0, Math.min(200, ar.result().length())));
    }

    private void fail(String what) {
        errors.incrementAndGet();
        firstError.compareAndSet(null, what);
    }

    private static double serverCpuSeconds(String pid) throws IOException {
        if (pid == null) return 0;
        String[] f =
                Files.readString(Path.of("/proc", pid, "stat")).split("\\) ")[1].split(" ");
        return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / 100.0; // utime + stime, in clock ticks (USER_HZ 100)
    }

    private static long clientCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    private static String env(String name, String fallback) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? fallback : v;
    }

    private static int intEnv(String name, int fallback) {
        return Integer.parseInt(env(name, Integer.toString(fallback)));
    }
}
