package dev.payproc.app.it;

import static dev.payproc.app.it.AuthorizationApiIT.reason;
import static dev.payproc.testkit.Asserts.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.payproc.testkit.Await;
import dev.payproc.testkit.Bodies;
import dev.payproc.testkit.H2Client;
import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/** Run-time change through the admin API: rule sets hot-reloaded across processes, tunables, the audit chain. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AdminIT extends ProcessorIT {
    private static final String ALICE_KEY = "alice-" + UUID.randomUUID();
    private static final String BOB_KEY = "bob-" + UUID.randomUUID();

    /** Two named admin keys beside the unnamed one ({@code admin}). */
    @Override
    protected Map<String, String> env() {
        return Map.of("ADMIN_API_KEYS", "sre-alice:" + ALICE_KEY + ",sre-bob:" + BOB_KEY);
    }

    /**
     * As sre-alice, with a header claiming to be someone else: the audit must record the key's name, never the header.
     */
    private H2Client.Response admin(TestProcessor p, HttpMethod method, String path, String body) {
        return as(ALICE_KEY, p, method, path, body);
    }

    private static H2Client.Response as(String key, TestProcessor p, HttpMethod method, String path, String body) {
        return p.client()
                .send(
                        method,
                        path,
                        Map.of(
                                "Authorization",
                                "Bearer " + key,
                                "Content-Type",
                                "application/json",
                                "X-Admin-Actor",
                                "mallory"),
                        body);
    }

    @Test
    @Order(1)
    void aBadRuleSetIsRefusedAndChangesNothing() {
        JsonObject current =
                admin(app, HttpMethod.GET, "/admin/risk-rules", null).json();
        assertEquals(1, current.getInteger("version"));
        H2Client.Response bad = admin(
                app,
                HttpMethod.PUT,
                "/admin/risk-rules",
                "{\"version\":2,\"velocity\":{\"card\":{\"limit\":0,\"windowSeconds\":60}},\"scoreBands\":{\"review\":900,\"decline\":800}}");
        assertError(bad, 400, "invalid_request", "velocity.card.limit");
        assertTrue(bad.json().getJsonArray("violations").size() >= 2, bad.body());
        assertError(admin(app, HttpMethod.PUT, "/admin/risk-rules", "{\"version\":"), 400, "invalid_request", null);
        assertError(
                admin(app, HttpMethod.PUT, "/admin/risk-rules", "{\"version\":1}"), 409, "invalid_state", "version");
        assertEquals(
                current, admin(app, HttpMethod.GET, "/admin/risk-rules", null).json());
        assertError(
                app.client().send(HttpMethod.PUT, "/admin/risk-rules", Map.of("Authorization", "Bearer wrong"), "{}"),
                401,
                "unauthenticated",
                null);
    }

    @Test
    @Order(2)
    void aNewRuleSetTakesEffectUnderLoadAndReachesOtherProcesses() throws Exception {
        try (TestProcessor other = new TestProcessor(db.settings(), env())) {
            List<Future<H2Client.Response>> load = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                load.add(app.client()
                        .sendAsync(
                                HttpMethod.POST,
                                "/v1/authorizations",
                                TestProcessor.headers(TestProcessor.API_KEY, "l-" + UUID.randomUUID()),
                                Bodies.valid(Bodies.freshPan()).encode()));
                if (i == 100) {
                    H2Client.Response put = admin(
                            app,
                            HttpMethod.PUT,
                            "/admin/risk-rules",
                            "{\"version\":2,\"velocity\":{\"card\":{\"limit\":2,\"windowSeconds\":60}}}");
                    assertEquals(200, put.status(), put.body());
                    assertEquals(
                            2,
                            put.json()
                                    .getJsonObject("velocity")
                                    .getJsonObject("card")
                                    .getInteger("limit"));
                }
            }
            for (Future<H2Client.Response> f : load)
                assertEquals(201, Await.result(f).status(), "no request dropped by the swap");

            String pan = Bodies.freshPan();
            for (int i = 1; i <= 2; i++)
                assertEquals(
                        "APPROVED",
                        app.authorize(
                                        "v-" + UUID.randomUUID(),
                                        Bodies.valid(pan).encode())
                                .json()
                                .getString("status"));
            JsonObject third = app.authorize(
                            "v-" + UUID.randomUUID(), Bodies.valid(pan).encode())
                    .json();
            assertEquals("DECLINED", third.getString("status"));
            assertEquals(
                    "3 attempts in 60s (limit 2)",
                    reason(third, "VELOCITY_CARD").getString("message"));
            assertEquals(2, third.getInteger("ruleSetVersion"), "every payment records the rule set that decided it");

            int seen = 0;
            for (int i = 0; i < 50 && seen != 2; i++) {
                Thread.sleep(100);
                seen = admin(other, HttpMethod.GET, "/admin/risk-rules", null)
                        .json()
                        .getInteger("version");
            }
            assertEquals(2, seen, "the other process adopted the new rule set");
        }
        // A restarted processor starts with the stored rule set.
        try (TestProcessor restarted = new TestProcessor(db.settings(), env())) {
            assertEquals(
                    2,
                    admin(restarted, HttpMethod.GET, "/admin/risk-rules", null)
                            .json()
                            .getInteger("version"));
        }
    }

    @Test
    @Order(3)
    void tunablesChangeAtRunTimeAndAreValidated() {
        JsonObject config = admin(app, HttpMethod.GET, "/admin/config", null).json();
        assertEquals(8192, config.getInteger("queueCapacity"));
        assertEquals(0.5, config.getDouble("merchantAdmissionShare"));
        H2Client.Response changed =
                admin(app, HttpMethod.PUT, "/admin/config", "{\"maxInFlight\":100,\"settlementBatchCap\":64}");
        assertEquals(200, changed.status(), changed.body());
        assertEquals(100, changed.json().getInteger("maxInFlight"));
        assertEquals(64, changed.json().getInteger("settlementBatchCap"));
        assertTrue(app.client().get("/metrics", Map.of()).body().contains("payproc_in_flight_limit 100\n"));

        assertError(
                admin(app, HttpMethod.PUT, "/admin/config", "{\"merchantAdmissionShare\":1}"),
                400,
                "invalid_request",
                "merchantAdmissionShare");
        assertError(
                admin(app, HttpMethod.PUT, "/admin/config", "{\"maxInFlight\":0}"),
                400,
                "invalid_request",
                "maxInFlight");
        assertError(
                admin(app, HttpMethod.PUT, "/admin/config", "{\"maxInFlight\":9000}"),
                400,
                "invalid_request",
                "maxInFlight");
        assertError(
                admin(app, HttpMethod.PUT, "/admin/config", "{\"settlementBatchCap\":\"big\"}"),
                400,
                "invalid_request",
                "settlementBatchCap");
        assertError(
                admin(app, HttpMethod.PUT, "/admin/config", "{\"maxInFlight\":50,\"colour\":\"blue\"}"),
                400,
                "invalid_request",
                "colour");
        assertEquals(
                100,
                admin(app, HttpMethod.GET, "/admin/config", null).json().getInteger("maxInFlight"),
                "all or nothing");
        assertEquals(
                201,
                app.authorize(
                                "t-" + UUID.randomUUID(),
                                Bodies.valid(Bodies.freshPan()).encode())
                        .status());
        admin(app, HttpMethod.PUT, "/admin/config", "{\"maxInFlight\":8192,\"settlementBatchCap\":512}");
    }

    @Test
    @Order(4)
    void theActorIsTheNameOfTheKeyThatActedWhateverTheHeaderSays() {
        assertEquals(
                200,
                as(TestProcessor.ADMIN_KEY, app, HttpMethod.PUT, "/admin/config", "{\"settlementBatchCap\":256}")
                        .status());
        JsonObject latest = as(TestProcessor.ADMIN_KEY, app, HttpMethod.GET, "/admin/audit?limit=1", null)
                .json()
                .getJsonArray("entries")
                .getJsonObject(0);
        assertEquals("admin", latest.getString("actor"), "ADMIN_API_KEY acts as admin, not as its header says");
        assertEquals(
                200,
                as(BOB_KEY, app, HttpMethod.PUT, "/admin/config", "{\"settlementBatchCap\":512}")
                        .status());
        JsonArray entries =
                admin(app, HttpMethod.GET, "/admin/audit?limit=2", null).json().getJsonArray("entries");
        assertEquals("sre-bob", entries.getJsonObject(0).getString("actor"), entries.encode());
        assertTrue(entries.getJsonObject(0).getString("detail").contains("512"), entries.encode());
        assertEquals("admin", entries.getJsonObject(1).getString("actor"), entries.encode());
        assertError(
                app.client()
                        .send(
                                HttpMethod.PUT,
                                "/admin/config",
                                Map.of("X-Admin-Actor", "sre-alice", "Content-Type", "application/json"),
                                "{\"settlementBatchCap\":128}"),
                401,
                "unauthenticated",
                null);
    }

    @Test
    @Order(5)
    void everyChangeIsInATamperEvidentTrail() {
        JsonArray entries =
                admin(app, HttpMethod.GET, "/admin/audit?limit=50", null).json().getJsonArray("entries");
        List<String> actions = new ArrayList<>();
        for (Object o : entries)
            actions.add(((JsonObject) o).getString("actor") + " " + ((JsonObject) o).getString("action"));
        assertTrue(actions.contains("sre-alice risk_rules.put"), actions.toString());
        assertTrue(actions.contains("sre-alice config.put"), actions.toString());
        assertFalse(entries.encode().contains(TestProcessor.ADMIN_KEY));
        assertFalse(entries.encode().contains(ALICE_KEY));
        assertFalse(entries.encode().contains("mallory"), "the X-Admin-Actor header is not trusted: " + entries);

        H2Client.Response intact = admin(app, HttpMethod.GET, "/admin/audit/verify", null);
        assertEquals(200, intact.status(), intact.body());
        assertTrue(intact.json().getLong("checked") >= 3);

        db.query("UPDATE admin_audit SET detail = 'nothing to see' WHERE seq = 2");
        H2Client.Response edited = admin(app, HttpMethod.GET, "/admin/audit/verify", null);
        assertEquals(409, edited.status(), edited.body());
        assertEquals(2, edited.json().getLong("brokenAt"));
        assertTrue(edited.json().getString("problem").contains("changed"), edited.body());

        db.query("DELETE FROM admin_audit WHERE seq = 2");
        H2Client.Response deleted = admin(app, HttpMethod.GET, "/admin/audit/verify", null);
        assertEquals(409, deleted.status());
        assertEquals(2, deleted.json().getLong("brokenAt"));
        assertTrue(deleted.json().getString("problem").contains("missing"), deleted.body());
    }

    @Test
    @Order(6)
    void aRevokedTerminalKeyStopsWorkingAtOnce() {
        H2Client.Response issued =
                admin(app, HttpMethod.POST, "/admin/merchants", "{\"merchantId\":\"" + TestProcessor.MERCHANT + "\"}");
        assertEquals(200, issued.status(), issued.body());
        String key = issued.json().getString("apiKey");
        H2Client.Response used = app.client()
                .send(
                        HttpMethod.POST,
                        "/v1/authorizations",
                        TestProcessor.headers(key, "revoke-before-" + UUID.randomUUID()),
                        Bodies.valid(Bodies.freshPan()).encode());
        assertEquals(201, used.status(), "the new key works (and is cached from here on): " + used.body());

        String prefix = key.substring(0, 7);
        String path = "/admin/merchants/" + TestProcessor.MERCHANT + "/api-keys/revoke";
        H2Client.Response revoked = admin(app, HttpMethod.POST, path, "{\"keyPrefix\":\"" + prefix + "\"}");
        assertEquals(200, revoked.status(), revoked.body());
        assertEquals(TestProcessor.MERCHANT, revoked.json().getString("merchantId"));
        JsonArray keys = revoked.json().getJsonArray("revoked");
        assertEquals(1, keys.size(), revoked.body());
        assertEquals(prefix, keys.getJsonObject(0).getString("keyPrefix"));
        assertFalse(revoked.body().contains(key), "the key itself is never answered again");

        assertError(
                app.client()
                        .send(
                                HttpMethod.POST,
                                "/v1/authorizations",
                                TestProcessor.headers(key, "revoke-after-" + UUID.randomUUID()),
                                Bodies.valid(Bodies.freshPan()).encode()),
                401,
                "unauthenticated",
                null);
        assertEquals(
                201,
                app.authorize(
                                "revoke-other-" + UUID.randomUUID(),
                                Bodies.valid(Bodies.freshPan()).encode())
                        .status(),
                "the merchant's other keys still work");

        assertError(
                admin(app, HttpMethod.POST, path, "{\"keyPrefix\":\"" + prefix + "\"}"), 404, "not_found", "keyPrefix");
        assertError(admin(app, HttpMethod.POST, path, "{\"keyPrefix\":\"sk_\"}"), 400, "invalid_request", "keyPrefix");
        JsonArray entries =
                admin(app, HttpMethod.GET, "/admin/audit?limit=5", null).json().getJsonArray("entries");
        boolean audited = false;
        for (Object o : entries) {
            JsonObject e = (JsonObject) o;
            audited |= "merchant.api_key_revoked".equals(e.getString("action"))
                    && "sre-alice".equals(e.getString("actor"))
                    && e.getString("detail").contains(prefix);
        }
        assertTrue(audited, entries.encode());
    }
}
