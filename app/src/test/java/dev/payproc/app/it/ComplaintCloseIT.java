package dev.payproc.app.it;

import static dev.payproc.testkit.Asserts.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.payproc.testkit.Bodies;
import dev.payproc.testkit.H2Client;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * {@code POST /admin/complaints/{id}/close}: an OPEN complaint closed with a resolution, audited once; a replay, a
 * conflicting retry, every illegal transition with its sentence (closing a closed or an escalated complaint,
 * escalating a closed one), an unknown complaint and every bad input.
 */
class ComplaintCloseIT extends ProcessorIT {
    private DisputeCalls calls;

    private DisputeCalls calls() {
        if (calls == null) calls = new DisputeCalls(app);
        return calls;
    }

    /** A sale with a complaint recorded by its merchant: the complaint's id. */
    private String complaint() {
        String payment = calls().authorize(Bodies.valid(Bodies.freshPan()).put("amount", 2_000));
        H2Client.Response r = calls().merchant(
                        "/v1/payments/" + payment + "/complaints",
                        new JsonObject()
                                .put("reason", "not_received")
                                .put("description", "the parcel never came")
                                .encode());
        assertEquals(201, r.status(), r.body());
        assertEquals("OPEN", r.json().getString("status"));
        assertTrue(r.json().containsKey("resolution") && r.json().getValue("resolution") == null, r.body());
        return r.json().getString("id");
    }

    private static String resolution(String text) {
        return new JsonObject().put("resolution", text).encode();
    }

    private H2Client.Response close(String complaint, String body, String key) {
        return calls().admin("/admin/complaints/" + complaint + "/close", body, key);
    }

    private static void assertRefused(H2Client.Response r, String sentence) {
        assertError(r, 409, "invalid_state", null);
        assertEquals(sentence, r.json().getString("message"));
    }

    /** The admin audit's entries naming {@code id} with {@code action}. */
    private List<JsonObject> audited(String action, String id) {
        List<JsonObject> out = new ArrayList<>();
        for (Object o : calls().adminGet("/admin/audit?limit=200").json().getJsonArray("entries")) {
            JsonObject e = (JsonObject) o;
            if (e.getString("action").equals(action) && e.getString("detail").contains(id)) out.add(e);
        }
        return out;
    }

    private static boolean lists(H2Client.Response r, String id) {
        assertEquals(200, r.status(), r.body());
        return r.json().getJsonArray("complaints").stream()
                .anyMatch(o -> ((JsonObject) o).getString("id").equals(id));
    }

    @Test
    void anOpenComplaintIsClosedOnceAndAudited() {
        String id = complaint();
        String key = "close-" + UUID.randomUUID();
        String body = resolution("Refunded in full after the carrier confirmed the loss.");
        H2Client.Response closed = close(id, body, key);
        assertEquals(200, closed.status(), closed.body());
        JsonObject c = closed.json();
        assertEquals(id, c.getString("id"));
        assertEquals("CLOSED", c.getString("status"));
        assertEquals("Refunded in full after the carrier confirmed the loss.", c.getString("resolution"));
        assertNotNull(c.getString("closedAt"));
        assertNull(c.getString("disputeId"));
        assertEquals("merchant", c.getString("source"));
        assertEquals("the parcel never came", c.getString("description"));
        assertEquals(
                List.of("CLOSED", "Refunded in full after the carrier confirmed the loss."),
                List.of(
                        db.query("SELECT status FROM complaints WHERE id = $1", id)
                                .iterator()
                                .next()
                                .getString(0),
                        db.query("SELECT resolution FROM complaints WHERE id = $1", id)
                                .iterator()
                                .next()
                                .getString(0)));

        // A retry under the key is answered the stored answer, and not audited again.
        H2Client.Response replay = close(id, body, key);
        assertEquals(200, replay.status(), replay.body());
        assertEquals("true", replay.header("Idempotent-Replayed"));
        assertEquals(closed.body(), replay.body());
        assertError(close(id, resolution("Another resolution."), key), 409, "idempotency_conflict", null);
        List<JsonObject> entries = audited("complaint.closed", id);
        assertEquals(1, entries.size(), entries.toString());
        assertEquals("admin", entries.get(0).getString("actor"));
        assertTrue(entries.get(0).getString("detail").contains("CLOSED"), entries.toString());

        // Closed is final: neither a second closing nor an escalation.
        assertRefused(
                close(id, resolution("Closed again."), "k-" + UUID.randomUUID()), "the complaint is already closed");
        assertRefused(
                calls().admin(
                                "/admin/complaints/" + id + "/escalate",
                                DisputeCalls.opening("10.4", null, DisputeCalls.dueIn(7))),
                "the complaint is closed (Refunded in full after the carrier confirmed the loss.) and cannot be"
                        + " escalated");
        assertEquals(0, db.count("SELECT count(*) FROM disputes WHERE complaint_id = $1", id));
        assertEquals(1, audited("complaint.closed", id).size());

        // Listed as closed, to support and to the merchant, with its resolution.
        assertTrue(lists(calls().adminGet("/admin/complaints?status=CLOSED"), id));
        assertTrue(lists(calls().merchantGet("/v1/complaints?status=CLOSED"), id));
        assertTrue(!lists(calls().merchantGet("/v1/complaints?status=OPEN"), id));
        JsonObject listed = (JsonObject)
                calls().merchantGet("/v1/complaints?status=CLOSED").json().getJsonArray("complaints").stream()
                        .filter(o -> ((JsonObject) o).getString("id").equals(id))
                        .findFirst()
                        .orElseThrow();
        assertEquals(c, listed);
        calls().assertBooksIntact();
    }

    @Test
    void anEscalatedComplaintCannotBeClosed() {
        String id = complaint();
        H2Client.Response escalated = calls().admin(
                        "/admin/complaints/" + id + "/escalate",
                        DisputeCalls.opening("13.1", 500L, DisputeCalls.dueIn(5)));
        assertEquals(201, escalated.status(), escalated.body());
        String dispute = escalated.json().getString("id");
        assertRefused(
                close(id, resolution("Nothing to do."), "k-" + UUID.randomUUID()),
                "the complaint was escalated into dispute " + dispute
                        + ": it is settled through the dispute and cannot be closed");
        assertEquals(
                "ESCALATED",
                db.query("SELECT status FROM complaints WHERE id = $1", id)
                        .iterator()
                        .next()
                        .getString(0));
        assertTrue(audited("complaint.closed", id).isEmpty());
    }

    @Test
    void aResolutionOfTheLongestLengthIsKept() {
        String id = complaint();
        String longest = "a".repeat(999) + ".";
        H2Client.Response closed = close(id, resolution(longest), "k-" + UUID.randomUUID());
        assertEquals(200, closed.status(), closed.body());
        assertEquals(longest, closed.json().getString("resolution"));
    }

    @Test
    void anUnknownComplaintIsNotFound() {
        assertError(
                close("cmp_00000000000000000000000000", resolution("Done."), "k-" + UUID.randomUUID()),
                404,
                "not_found",
                null);
    }

    @Test
    void everyBadInputIsRefusedAndChangesNothing() {
        String id = complaint();
        String path = "/admin/complaints/" + id + "/close";
        assertError(calls().admin(path, "{\"resolution\":", "k-1" + UUID.randomUUID()), 400, "invalid_request", null);
        assertError(calls().admin(path, "[]", "k-" + UUID.randomUUID()), 400, "invalid_request", null);
        assertError(calls().admin(path, "", "k-" + UUID.randomUUID()), 400, "invalid_request", null);
        assertError(calls().admin(path, "{}", "k-" + UUID.randomUUID()), 400, "invalid_request", "resolution");
        assertError(
                calls().admin(path, "{\"resolution\":42}", "k-" + UUID.randomUUID()),
                400,
                "invalid_request",
                "resolution");
        assertError(
                calls().admin(path, "{\"resolution\":null}", "k-" + UUID.randomUUID()),
                400,
                "invalid_request",
                "resolution");
        assertError(
                calls().admin(path, resolution("   "), "k-" + UUID.randomUUID()), 400, "invalid_request", "resolution");
        assertError(
                calls().admin(path, resolution("x".repeat(1001)), "k-" + UUID.randomUUID()),
                400,
                "invalid_request",
                "resolution");
        H2Client.Response pan =
                calls().admin(path, resolution("card 4111 1111 1111 1111 was refunded"), "k-" + UUID.randomUUID());
        assertError(pan, 400, "invalid_request", "resolution");
        assertTrue(!pan.body().contains("4111"), "the refusal does not echo a card number: " + pan.body());
        assertError(
                calls().admin(
                                path,
                                new JsonObject()
                                        .put("resolution", "ok")
                                        .put("status", "CLOSED")
                                        .encode(),
                                "k-" + UUID.randomUUID()),
                400,
                "invalid_request",
                "status");
        assertError(calls().admin(path, resolution("Done."), null), 400, "invalid_request", "Idempotency-Key");
        assertError(calls().admin(path, resolution("Done."), "not a key!"), 400, "invalid_request", "Idempotency-Key");
        // A terminal key is not an admin key, nor is no key.
        H2Client.Response merchant = app.client()
                .send(
                        HttpMethod.POST,
                        path,
                        TestProcessor.headers(TestProcessor.API_KEY, "k-" + UUID.randomUUID()),
                        resolution("Done."));
        assertEquals(401, merchant.status(), merchant.body());
        H2Client.Response none = app.client()
                .send(
                        HttpMethod.POST,
                        path,
                        Map.of("Content-Type", "application/json", "Idempotency-Key", "k-" + UUID.randomUUID()),
                        resolution("Done."));
        assertEquals(401, none.status(), none.body());

        assertEquals(
                "OPEN",
                db.query("SELECT status FROM complaints WHERE id = $1", id)
                        .iterator()
                        .next()
                        .getString(0));
        assertTrue(audited("complaint.closed", id).isEmpty());
        // Still closable: nothing above touched it.
        assertEquals(
                200, close(id, resolution("Done."), "k-" + UUID.randomUUID()).status());
    }

    @Test
    void theDatabaseRefusesAClosedComplaintWithoutItsResolution() {
        String id = complaint();
        JsonArray before =
                calls().adminGet("/admin/complaints?status=OPEN").json().getJsonArray("complaints");
        assertTrue(
                before.stream().anyMatch(o -> ((JsonObject) o).getString("id").equals(id)));
        try {
            db.query("UPDATE complaints SET status = 'CLOSED' WHERE id = $1", id);
            throw new AssertionError("a closed complaint without its resolution was written");
        } catch (RuntimeException expected) {
            assertTrue(String.valueOf(expected.getMessage()).contains("complaints_closed"), expected.toString());
        }
    }
}
