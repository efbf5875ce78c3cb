package dev.payproc.app.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.payproc.app.Main;
import dev.payproc.core.config.DatabaseSettings;
import dev.payproc.testkit.Await;
import dev.payproc.testkit.Bodies;
import dev.payproc.testkit.H2Client;
import dev.payproc.testkit.TestDatabase;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/**
 * kill -9 of a processor in the middle of a delivery: a second one on the same database takes the endpoint over once
 * the dead one's lease expires and goes on from the last acknowledged event. Every event arrives at least once, in
 * order, none skipped; an event sent twice is sent identically (same id, same body).
 */
class WebhookCrashIT {
    private static final int TIMEOUT_MS = 1_000;

    /** A processor in a JVM of its own, as an operator runs it. */
    private static final class Child implements AutoCloseable {
        final Process process;
        final int port;
        final H2Client client;
        final Path log;

        Child(DatabaseSettings db) throws IOException {
            port = TestProcessor.freePort();
            log = Files.createTempFile("payproc-webhook-crash", ".log");
            ProcessBuilder pb = new ProcessBuilder(
                            Path.of(System.getProperty("java.home"), "bin", "java")
                                    .toString(),
                            "-Xmx256m",
                            "-cp",
                            System.getProperty("java.class.path"),
                            Main.class.getName())
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile());
            Map<String, String> env = pb.environment();
            env.put("PORT", Integer.toString(port));
            env.put("PGHOST", db.host());
            env.put("PGPORT", Integer.toString(db.port()));
            env.put("PGDATABASE", db.database());
            env.put("PGUSER", db.user());
            env.put("PGPASSWORD", db.password());
            env.put("EVENT_LOOPS", "1");
            env.put("RISK_SHARDS", "1");
            env.put("SETTLEMENT_WRITERS", "1");
            env.put("DEV_KEYS", "1");
            env.put("ADMIN_API_KEY", TestProcessor.ADMIN_KEY);
            env.put("DEMO_MERCHANT_ID", TestProcessor.MERCHANT);
            env.put("DEMO_API_KEY", TestProcessor.API_KEY);
            env.put("WEBHOOK_TIMEOUT_MS", Integer.toString(TIMEOUT_MS));
            env.put("WEBHOOK_BACKOFF_BASE_MS", "20");
            env.put("WEBHOOK_BACKOFF_CAP_MS", "100");
            process = pb.start();
            client = H2Client.h2c(port);
            Await.until(this::ready, 60, "the child processor ready on port " + port);
        }

        private boolean ready() {
            if (!process.isAlive()) throw new AssertionError("the child processor exited: " + output());
            try {
                return client.get("/health/ready", Map.of()).status() == 200;
            } catch (RuntimeException notYet) {
                return false;
            }
        }

        String output() {
            try {
                return Files.readString(log);
            } catch (IOException e) {
                return "(no log: " + e + ")";
            }
        }

        H2Client.Response admin(HttpMethod m, String path, String body) {
            return client.send(
                    m,
                    path,
                    Map.of("Authorization", "Bearer " + TestProcessor.ADMIN_KEY, "Content-Type", "application/json"),
                    body);
        }

        void authorize() {
            H2Client.Response r = client.send(
                    HttpMethod.POST,
                    "/v1/authorizations",
                    TestProcessor.headers(TestProcessor.API_KEY, "crash-" + UUID.randomUUID()),
                    Bodies.valid(Bodies.freshPan())
                            .put("terminalId", "tc-" + UUID.randomUUID())
                            .encode());
            assertEquals(201, r.status(), r.body());
        }

        void kill() throws InterruptedException {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS); // SIGKILL: no drain, no clean-up
        }

        @Override
        public void close() throws IOException, InterruptedException {
            client.close();
            if (process.isAlive()) {
                process.destroy();
                if (!process.waitFor(15, TimeUnit.SECONDS)) process.destroyForcibly();
            }
            Files.deleteIfExists(log);
        }
    }

    @Test
    void afterKillDashNineMidDeliveryASecondProcessGoesOnAndNothingIsSkipped() throws Exception {
        int events = 12;
        try (TestDatabase db = new TestDatabase();
                WebhookReceiver receiver = new WebhookReceiver()) {
            receiver.answer(i -> new WebhookReceiver.Answer(200, 300)); // accepts slowly: a kill lands mid-delivery
            JsonObject registered;
            long start;
            try (Child first = new Child(db.settings())) {
                H2Client.Response r = first.admin(
                        HttpMethod.POST,
                        "/admin/webhooks",
                        new JsonObject()
                                .put("merchantId", TestProcessor.MERCHANT)
                                .put("url", receiver.url())
                                .encode());
                assertEquals(201, r.status(), r.body());
                registered = r.json();
                start = registered.getLong("deliveredSeq");
                for (int i = 0; i < events; i++) first.authorize();
                Await.until(
                        () -> receiver.received().size() >= 4 && receiver.open() == 1,
                        30,
                        "a few events delivered and one held open");
                first.kill();
            }
            int beforeRestart = receiver.received().size();
            assertTrue(beforeRestart < events, "killed before it could deliver everything: " + beforeRestart);
            receiver.answer(i -> WebhookReceiver.Answer.now(200));

            try (Child second = new Child(db.settings())) {
                String id = registered.getString("id");
                Await.until(
                        () -> {
                            JsonObject e = second.admin(HttpMethod.GET, "/admin/webhooks/" + id, null)
                                    .json();
                            return e.getLong("backlog") == 0;
                        },
                        60,
                        "the second process delivers the rest");

                List<WebhookReceiver.Received> all = receiver.received();
                List<Long> seqs =
                        all.stream().map(WebhookReceiver.Received::seq).toList();
                for (int i = 1; i < seqs.size(); i++) {
                    assertTrue(seqs.get(i) >= seqs.get(i - 1), "in order, across the crash: " + seqs);
                }
                assertEquals(
                        LongStream.rangeClosed(start + 1, start + events)
                                .boxed()
                                .toList(),
                        seqs.stream().distinct().toList(),
                        "every event at least once, none skipped: " + seqs);
                assertTrue(seqs.size() > seqs.stream().distinct().count(), "the one held at the kill came again");
                WebhookDeliveryIT.assertOneIdAndBodyPerEvent(all);
                WebhookDeliveryIT.assertSigned(all, registered.getString("secret"));
            }
        }
    }
}
