package dev.payproc.app.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.payproc.testkit.H2Client;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/** The dispute, complaint and lifecycle requests the dispute tests send, each under a fresh idempotency key. */
final class DisputeCalls {
    private final TestProcessor app;

    DisputeCalls(TestProcessor app) {
        this.app = app;
    }

    static String dueIn(int days) {
        return LocalDate.now(ZoneOffset.UTC).plusDays(days).toString();
    }

    static String opening(String reasonCode, Long amount, String dueDate) {
        JsonObject o = new JsonObject().put("reasonCode", reasonCode).put("dueDate", dueDate);
        if (amount != null) o.put("amount", amount);
        return o.encode();
    }

    String authorize(JsonObject body) {
        H2Client.Response r = app.authorize("a-" + UUID.randomUUID(), body.encode());
        assertEquals(201, r.status(), r.body());
        return r.json().getString("id");
    }

    H2Client.Response merchant(String path, String body) {
        return merchant(path, body, "k-" + UUID.randomUUID());
    }

    H2Client.Response merchant(String path, String body, String key) {
        return app.client().send(HttpMethod.POST, path, TestProcessor.headers(TestProcessor.API_KEY, key), body);
    }

    H2Client.Response merchantGet(String path) {
        return app.client().get(path, Map.of("Authorization", "Bearer " + TestProcessor.API_KEY));
    }

    H2Client.Response admin(String path, String body) {
        return admin(path, body, "k-" + UUID.randomUUID());
    }

    H2Client.Response admin(String path, String body, String key) {
        Map<String, String> h = new HashMap<>();
        h.put("Authorization", "Bearer " + TestProcessor.ADMIN_KEY);
        h.put("Content-Type", "application/json");
        if (key != null) h.put("Idempotency-Key", key);
        return app.client().send(HttpMethod.POST, path, h, body);
    }

    H2Client.Response adminGet(String path) {
        return app.admin(HttpMethod.GET, path, null);
    }

    H2Client.Response open(String paymentId, Long amount) {
        return admin("/admin/payments/" + paymentId + "/disputes", opening("10.4", amount, dueIn(10)));
    }

    /** Opens a dispute that must be accepted; its id. */
    String opened(String paymentId, long amount) {
        H2Client.Response r = open(paymentId, amount);
        assertEquals(201, r.status(), r.body());
        return r.json().getString("id");
    }

    H2Client.Response outcome(String disputeId, String outcome) {
        return admin(
                "/admin/disputes/" + disputeId + "/outcome",
                new JsonObject().put("outcome", outcome).encode());
    }

    H2Client.Response evidence(String disputeId, String text) {
        return merchant(
                "/v1/disputes/" + disputeId + "/evidence",
                new JsonObject()
                        .put("text", text)
                        .put(
                                "files",
                                new io.vertx.core.json.JsonArray()
                                        .add(new JsonObject()
                                                .put("name", "receipt.pdf")
                                                .put("reference", "s3://evidence/receipt.pdf")))
                        .encode());
    }

    H2Client.Response accept(String disputeId) {
        return merchant("/v1/disputes/" + disputeId + "/accept", null);
    }

    H2Client.Response op(String paymentId, String op, String body) {
        return merchant("/v1/payments/" + paymentId + "/" + op, body);
    }

    JsonObject payment(String paymentId) {
        H2Client.Response r = merchantGet("/v1/payments/" + paymentId);
        assertEquals(200, r.status(), r.body());
        return r.json();
    }

    /** The merchant's payable balance in {@code currency}. */
    long payable(String currency) {
        H2Client.Response r = merchantGet("/v1/merchants/" + TestProcessor.MERCHANT + "/balance");
        assertEquals(200, r.status(), r.body());
        for (Object o : r.json().getJsonArray("balances")) {
            JsonObject b = (JsonObject) o;
            if (b.getString("currency").equals(currency)) return b.getLong("payable");
        }
        return 0;
    }

    /** Reconciliation finds nothing and both tamper-evident trails verify. */
    void assertBooksIntact() {
        H2Client.Response rec = adminGet("/admin/reconciliation");
        assertEquals(200, rec.status(), rec.body());
        assertTrue(rec.json().getJsonArray("problems").isEmpty(), rec.body());
        H2Client.Response verify = adminGet("/admin/audit/verify");
        assertEquals(200, verify.status(), verify.body());
        assertTrue(verify.json().getBoolean("intact"), verify.body());
    }
}
