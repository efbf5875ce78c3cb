package dev.payproc.app.it;

import static dev.payproc.testkit.Asserts.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.payproc.app.jobs.ExpirySweeper;
import dev.payproc.testkit.Bodies;
import dev.payproc.testkit.H2Client;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The expiry sweeper cannot be stopped by a merchant, nor by payments whose expiry fails. Authorizations
 * expire after an hour here; a test makes one due by moving its {@code created_at} back, so that nothing
 * expires before the test has set it up.
 */
class ExpiryIT extends ProcessorIT {
    @Override
    protected Map<String, String> env() {
        return Map.of("AUTH_EXPIRY_SECONDS", "3600", "EXPIRY_SWEEP_MS", "200");
    }

    private String manual() {
        H2Client.Response r = app.authorize(
                "x-" + UUID.randomUUID(),
                Bodies.valid(Bodies.freshPan()).put("capture", "MANUAL").encode());
        assertEquals(201, r.status(), r.body());
        assertEquals("APPROVED", r.json().getString("status"));
        return r.json().getString("id");
    }

    private void makeDue(List<String> ids) {
        db.query("UPDATE payments SET created_at = created_at - interval '2 hours' WHERE id = ANY($1)", (Object)
                ids.toArray(String[]::new));
    }

    private String status(String id) {
        return db.query("SELECT status FROM payments WHERE id = $1", id)
                .iterator()
                .next()
                .getString(0);
    }

    private void awaitExpired(String id) throws InterruptedException {
        for (int i = 0; i < 150 && !"EXPIRED".equals(status(id)); i++) Thread.sleep(100);
        assertEquals("EXPIRED", status(id));
    }

    @Test
    void aMerchantCannotClaimTheExpirysIdempotencyKey() throws InterruptedException {
        String id = manual();
        // The key the sweeper used to submit under, in the merchant's own namespace: taken by another request.
        assertEquals(
                201,
                app.authorize("expire-" + id, Bodies.valid(Bodies.freshPan()).encode())
                        .status());
        makeDue(List.of(id));
        awaitExpired(id);
        JsonObject p = app.client()
                .get("/v1/payments/" + id, Map.of("Authorization", "Bearer " + TestProcessor.API_KEY))
                .json();
        assertEquals("EXPIRY", p.getJsonArray("events").getJsonObject(1).getString("type"));
        // The sweeper's own keys are outside what a client may send.
        assertError(
                app.authorize(
                        ExpirySweeper.idempotencyKey(manual()),
                        Bodies.valid(Bodies.freshPan()).encode()),
                400,
                "invalid_request",
                "Idempotency-Key");
    }

    @Test
    void paymentsThatCannotExpireDoNotHoldUpTheOthers() throws InterruptedException {
        // More stuck payments than one sweep reads, all older than the one that can expire.
        JsonArray items = new JsonArray();
        for (int i = 0; i < 501; i++) {
            items.add(Bodies.valid(Bodies.freshPan())
                    .put("capture", "MANUAL")
                    .put("idempotencyKey", "stuck-" + UUID.randomUUID()));
        }
        H2Client.Response batch = app.batch(new JsonObject().put("items", items).encode());
        assertEquals(200, batch.status(), batch.body());
        List<String> stuck = new ArrayList<>();
        for (Object o : batch.json().getJsonArray("results")) {
            JsonObject r = (JsonObject) o;
            assertEquals("APPROVED", r.getString("status"), r.encode());
            stuck.add(r.getString("id"));
        }
        // Their expiry's key already holds another answer, so every attempt to expire them is refused.
        db.query(
                "INSERT INTO idempotency_keys (merchant_id, idempotency_key, request_hash, payment_id, response_status, "
                        + "response_body, created_at) SELECT $1, k, '\\x00'::bytea, id, 200, '{}', now() FROM unnest($2::text[], $3::text[]) AS t(id, k)",
                TestProcessor.MERCHANT,
                stuck.toArray(String[]::new),
                stuck.stream().map(ExpirySweeper::idempotencyKey).toArray(String[]::new));
        String expirable = manual();
        List<String> all = new ArrayList<>(stuck);
        all.add(expirable);
        makeDue(all);

        awaitExpired(expirable);
        Thread.sleep(600); // more sweeps: the stuck ones are tried again, and stay as they are
        assertEquals(0, db.count("SELECT count(*) FROM payments WHERE id = ANY($1) AND status <> 'APPROVED'", (Object)
                stuck.toArray(String[]::new)));
    }
}
