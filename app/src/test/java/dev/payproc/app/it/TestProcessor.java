package dev.payproc.app.it;

import dev.payproc.app.Processor;
import dev.payproc.app.ProcessorConfig;
import dev.payproc.core.config.DatabaseSettings;
import dev.payproc.testkit.Await;
import dev.payproc.testkit.Bodies;
import dev.payproc.testkit.H2Client;
import io.vertx.core.http.HttpMethod;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * A whole processor running in the test JVM on a free port against a given database, with a demo
 * merchant and key provisioned, and an HTTP/2 client that speaks to it as a terminal would.
 */
public final class TestProcessor implements AutoCloseable {
    public static final String MERCHANT = Bodies.MERCHANT;
    public static final String API_KEY = "sk_test_m1001_" + UUID.randomUUID();
    public static final String OTHER_MERCHANT = "m-2002";
    public static final String ADMIN_KEY = "admin-" + UUID.randomUUID();

    private final Processor processor;
    private final ProcessorConfig config;
    private final H2Client client;
    private String otherKey;

    public TestProcessor(DatabaseSettings db) {
        this(db, Map.of());
    }

    /** Configured the way an operator would: through the environment ({@code overrides} wins). */
    public TestProcessor(DatabaseSettings db, Map<String, String> overrides) {
        Map<String, String> env = new HashMap<>();
        env.put("PORT", Integer.toString(freePort()));
        env.put("PGHOST", db.host());
        env.put("PGPORT", Integer.toString(db.port()));
        env.put("PGDATABASE", db.database());
        env.put("PGUSER", db.user());
        env.put("PGPASSWORD", db.password());
        env.put("ADMIN_API_KEY", ADMIN_KEY);
        env.put("DEMO_MERCHANT_ID", MERCHANT);
        env.put("DEMO_API_KEY", API_KEY);
        env.put("EVENT_LOOPS", "2");
        env.put("DEV_KEYS", "1");
        env.putAll(overrides);
        this.config = ProcessorConfig.fromEnv(env);
        this.processor = Await.result(Processor.start(config));
        this.client = H2Client.h2c(config.port());
    }

    public static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public int port() {
        return config.port();
    }

    public ProcessorConfig config() {
        return config;
    }

    public Processor processor() {
        return processor;
    }

    /** An admin request with the admin key and a JSON body (null for none). */
    public H2Client.Response admin(HttpMethod method, String path, String body) {
        return client().send(
                        method,
                        path,
                        Map.of("Authorization", "Bearer " + ADMIN_KEY, "Content-Type", "application/json"),
                        body);
    }

    public H2Client client() {
        return client;
    }

    /** The API key of a second merchant, created through the admin API on first use. */
    public synchronized String otherMerchantKey() {
        if (otherKey == null) {
            H2Client.Response r = client.send(
                    HttpMethod.POST,
                    "/admin/merchants",
                    Map.of("Authorization", "Bearer " + ADMIN_KEY, "Content-Type", "application/json"),
                    "{\"merchantId\":\"" + OTHER_MERCHANT + "\",\"name\":\"Other\"}");
            if (r.status() != 201 && r.status() != 200) throw new IllegalStateException("admin API: " + r);
            otherKey = r.json().getString("apiKey");
        }
        return otherKey;
    }

    public H2Client.Response authorize(String idempotencyKey, String body) {
        return client.send(HttpMethod.POST, "/v1/authorizations", headers(API_KEY, idempotencyKey), body);
    }

    /** {@code POST /v1/authorizations/batch} with the merchant's key; each item names its own idempotency key. */
    public H2Client.Response batch(String body) {
        return client.send(HttpMethod.POST, "/v1/authorizations/batch", headers(API_KEY, null), body);
    }

    public static Map<String, String> headers(String apiKey, String idempotencyKey) {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("Authorization", "Bearer " + apiKey);
        h.put("Content-Type", "application/json");
        if (idempotencyKey != null) h.put("Idempotency-Key", idempotencyKey);
        return h;
    }

    @Override
    public void close() {
        client.close();
        Await.result(processor.stop(5_000));
    }
}
