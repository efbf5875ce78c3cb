package dev.payproc.app.it;

import static dev.payproc.testkit.Asserts.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.payproc.testkit.H2Client;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The webhook admin API and the merchants' own routes: a registration shows its secret once and is audited; every bad
 * input is a clear 4xx with nothing stored; disabling, the deliveries listing, re-send and replay bounds; a merchant
 * sees and replays only its own endpoints.
 */
class WebhookAdminIT extends ProcessorIT {
    private static final String URL = "http://127.0.0.1:9/hooks"; // the discard port: nothing answers

    private H2Client.Response admin(HttpMethod m, String path, String body) {
        return app.admin(m, path, body);
    }

    private JsonObject registered(String url) {
        H2Client.Response r = admin(
                HttpMethod.POST,
                "/admin/webhooks",
                new JsonObject()
                        .put("merchantId", TestProcessor.MERCHANT)
                        .put("url", url)
                        .encode());
        assertEquals(201, r.status(), r.body());
        return r.json();
    }

    private long stored() {
        return db.count("SELECT count(*) FROM webhook_endpoints");
    }

    private List<JsonObject> audit(String action) {
        JsonArray entries =
                admin(HttpMethod.GET, "/admin/audit?limit=100", null).json().getJsonArray("entries");
        return entries.stream()
                .map(JsonObject.class::cast)
                .filter(e -> e.getString("action").equals(action))
                .toList();
    }

    @Test
    void aRegistrationShowsTheSecretOnceStoresItSealedAndIsAudited() {
        WebhookDeliveryIT.authorize(app, false);
        long head = WebhookDeliveryIT.head(app);
        JsonObject r = registered("https://hooks.example.com/payproc");
        String id = r.getString("id");
        String secret = r.getString("secret");
        assertTrue(id.matches("whk_[A-Za-z0-9_-]{24}"), id);
        assertTrue(secret.matches("whsec_[A-Za-z0-9_-]{43}"), secret);
        assertEquals(TestProcessor.MERCHANT, r.getString("merchantId"));
        assertEquals(List.of(), r.getJsonArray("eventTypes").getList(), "none listed: all types");
        assertEquals(head, r.getLong("deliveredSeq"), "from the merchant's head on");
        assertEquals(0, r.getLong("backlog"));
        assertEquals(false, r.getBoolean("disabled"));

        H2Client.Response one = admin(HttpMethod.GET, "/admin/webhooks/" + id, null);
        assertEquals(200, one.status());
        assertFalse(one.json().containsKey("secret"));
        assertFalse(one.body().contains(secret));
        H2Client.Response list = admin(HttpMethod.GET, "/admin/webhooks?merchantId=" + TestProcessor.MERCHANT, null);
        assertTrue(list.body().contains(id));
        assertFalse(list.body().contains(secret));
        assertFalse(admin(HttpMethod.GET, "/admin/audit?limit=100", null).body().contains(secret));

        List<JsonObject> entries = audit("webhook.registered");
        assertTrue(entries.stream()
                .anyMatch(e -> e.getString("detail").contains(id)
                        && e.getString("actor").equals("admin")));

        // In the database only as ciphertext: no column of any row holds the secret or its random part.
        byte[] ciphertext = db.query("SELECT secret_ciphertext FROM webhook_endpoints WHERE id = $1", id)
                .iterator()
                .next()
                .getBuffer(0)
                .getBytes();
        assertFalse(new String(ciphertext, StandardCharsets.ISO_8859_1).contains(secret.substring(6)));
        assertTrue(db.dumpAllRows().stream().noneMatch(row -> row.contains(secret.substring(6))), "in no table");
        admin(HttpMethod.DELETE, "/admin/webhooks/" + id, null);
    }

    @Test
    void everyBadRegistrationIsAClear4xxAndStoresNothing() {
        long before = stored();
        long audited = audit("webhook.registered").size();
        String m = TestProcessor.MERCHANT;
        Map<String, String> refused = Map.ofEntries(
                Map.entry("{\"merchantId\":\"" + m + "\",\"url\":\"http://hooks.example.com/x\"}", "url"),
                Map.entry("{\"merchantId\":\"" + m + "\",\"url\":\"http://10.1.2.3/x\"}", "url"),
                Map.entry("{\"merchantId\":\"" + m + "\",\"url\":\"ftp://hooks.example.com/x\"}", "url"),
                Map.entry("{\"merchantId\":\"" + m + "\",\"url\":\"https://u:p@hooks.example.com/x\"}", "url"),
                Map.entry("{\"merchantId\":\"" + m + "\",\"url\":\"https://hooks.example.com/x#f\"}", "url"),
                Map.entry("{\"merchantId\":\"" + m + "\",\"url\":\"not a url\"}", "url"),
                Map.entry("{\"merchantId\":\"" + m + "\"}", "url"),
                Map.entry("{\"url\":\"https://hooks.example.com/x\"}", "merchantId"),
                Map.entry(
                        "{\"merchantId\":\"" + m
                                + "\",\"url\":\"https://hooks.example.com/x\",\"eventTypes\":[\"PAYOUT\"]}",
                        "eventTypes"),
                Map.entry(
                        "{\"merchantId\":\"" + m
                                + "\",\"url\":\"https://hooks.example.com/x\",\"eventTypes\":\"VOID\"}",
                        "eventTypes"),
                Map.entry(
                        "{\"merchantId\":\"" + m + "\",\"url\":\"https://hooks.example.com/x\",\"secret\":\"mine\"}",
                        "secret"));
        refused.forEach((body, field) -> {
            H2Client.Response r = admin(HttpMethod.POST, "/admin/webhooks", body);
            assertError(r, 400, "invalid_request", field);
            assertFalse(r.body().contains("hooks.example.com"), "the URL is not echoed: " + r.body());
        });
        assertError(admin(HttpMethod.POST, "/admin/webhooks", "{\"merchantId\":"), 400, "invalid_request", null);
        assertError(admin(HttpMethod.POST, "/admin/webhooks", "[1]"), 400, "invalid_request", null);
        assertError(
                admin(
                        HttpMethod.POST,
                        "/admin/webhooks",
                        "{\"merchantId\":\"m-nobody\",\"url\":\"https://hooks.example.com/x\"}"),
                404,
                "not_found",
                "merchantId");
        H2Client.Response noKey = app.client()
                .send(
                        HttpMethod.POST,
                        "/admin/webhooks",
                        Map.of("Content-Type", "application/json"),
                        "{\"merchantId\":\"" + m + "\",\"url\":\"https://hooks.example.com/x\"}");
        assertEquals(401, noKey.status());
        H2Client.Response merchantKey = app.client()
                .send(
                        HttpMethod.POST,
                        "/admin/webhooks",
                        TestProcessor.headers(TestProcessor.API_KEY, null),
                        "{\"merchantId\":\"" + m + "\",\"url\":\"https://hooks.example.com/x\"}");
        assertEquals(401, merchantKey.status(), "a merchant's key is no admin key");
        assertEquals(before, stored(), "nothing stored");
        assertEquals(audited, audit("webhook.registered").size(), "nothing audited");
    }

    @Test
    void disablingIsIdempotentAndAuditedOnce() {
        String id = registered(URL).getString("id");
        H2Client.Response first = admin(HttpMethod.DELETE, "/admin/webhooks/" + id, null);
        assertEquals(200, first.status(), first.body());
        assertTrue(first.json().getBoolean("disabled"));
        H2Client.Response again = admin(HttpMethod.DELETE, "/admin/webhooks/" + id, null);
        assertEquals(200, again.status());
        assertEquals(first.json().getString("disabledAt"), again.json().getString("disabledAt"));
        assertEquals(
                1,
                audit("webhook.disabled").stream()
                        .filter(e -> e.getString("detail").contains(id))
                        .count());
        assertError(admin(HttpMethod.DELETE, "/admin/webhooks/whk_nope", null), 404, "not_found", null);
        assertError(admin(HttpMethod.GET, "/admin/webhooks/whk_nope", null), 404, "not_found", null);
        assertError(
                admin(HttpMethod.POST, "/admin/webhooks/" + id + "/replay", "{\"after\":0}"),
                409,
                "invalid_state",
                null);
    }

    @Test
    void theDeliveriesListingAndReSendTakeOnlyWhatMakesSense() {
        String id = registered(URL).getString("id");
        H2Client.Response empty = admin(HttpMethod.GET, "/admin/webhooks/" + id + "/deliveries", null);
        assertEquals(200, empty.status(), empty.body());
        assertEquals(id, empty.json().getString("id"));
        for (String bad : new String[] {"0", "501", "abc", "-1", "10&limit=20"}) {
            assertError(
                    admin(HttpMethod.GET, "/admin/webhooks/" + id + "/deliveries?limit=" + bad, null),
                    400,
                    "invalid_request",
                    "limit");
        }
        assertError(admin(HttpMethod.GET, "/admin/webhooks/whk_nope/deliveries", null), 404, "not_found", null);
        assertError(
                admin(HttpMethod.POST, "/admin/webhooks/" + id + "/deliveries/1/resend", null),
                409,
                "invalid_state",
                "seq");
        assertError(
                admin(HttpMethod.POST, "/admin/webhooks/" + id + "/deliveries/zero/resend", null),
                400,
                "invalid_request",
                "seq");
        assertError(
                admin(HttpMethod.POST, "/admin/webhooks/whk_nope/deliveries/1/resend", null), 404, "not_found", null);
        admin(HttpMethod.DELETE, "/admin/webhooks/" + id, null);
    }

    @Test
    void aReplayMovesTheCursorWithinZeroToTheHeadAndIsAudited() {
        WebhookDeliveryIT.authorize(app, false);
        JsonObject r = registered(URL);
        String id = r.getString("id");
        long head = r.getLong("head");
        String path = "/admin/webhooks/" + id + "/replay";
        assertError(admin(HttpMethod.POST, path, "{\"after\":" + (head + 1) + "}"), 400, "invalid_request", "after");
        assertError(admin(HttpMethod.POST, path, "{\"after\":-1}"), 400, "invalid_request", "after");
        assertError(admin(HttpMethod.POST, path, "{}"), 400, "invalid_request", "after");
        assertError(admin(HttpMethod.POST, path, "{\"after\":0,\"x\":1}"), 400, "invalid_request", "x");
        assertEquals(head, WebhookDeliveryIT.endpoint(app, id).getLong("deliveredSeq"), "refusals moved nothing");
        H2Client.Response ok = admin(HttpMethod.POST, path, "{\"after\":0}");
        assertEquals(200, ok.status(), ok.body());
        assertEquals(0, ok.json().getLong("deliveredSeq"));
        assertEquals(head, ok.json().getLong("backlog"));
        assertTrue(audit("webhook.replayed").stream()
                .anyMatch(e -> e.getString("detail").equals(id + " from sequence " + head + " back to 0")));
        assertError(admin(HttpMethod.POST, "/admin/webhooks/whk_nope/replay", "{\"after\":0}"), 404, "not_found", null);
        admin(HttpMethod.DELETE, "/admin/webhooks/" + id, null);
    }

    @Test
    void aMerchantSeesAndReplaysItsOwnEndpointsOnly() {
        String mine = registered(URL).getString("id");
        String otherKey = app.otherMerchantKey();
        H2Client.Response own = app.client().get("/v1/webhooks", TestProcessor.headers(TestProcessor.API_KEY, null));
        assertEquals(200, own.status(), own.body());
        List<String> ids = own.json().getJsonArray("webhooks").stream()
                .map(o -> ((JsonObject) o).getString("id"))
                .toList();
        assertTrue(ids.contains(mine));
        assertFalse(own.body().contains("secret"));
        H2Client.Response other = app.client().get("/v1/webhooks", TestProcessor.headers(otherKey, null));
        assertEquals(200, other.status());
        assertFalse(other.body().contains(mine), "another merchant's endpoints are not listed");
        assertEquals(401, app.client().get("/v1/webhooks", Map.of()).status());

        String path = "/v1/webhooks/" + mine + "/replay";
        assertError(
                app.client().send(HttpMethod.POST, path, TestProcessor.headers(otherKey, null), "{\"after\":0}"),
                404,
                "not_found",
                null);
        H2Client.Response replayed = app.client()
                .send(HttpMethod.POST, path, TestProcessor.headers(TestProcessor.API_KEY, null), "{\"after\":0}");
        assertEquals(200, replayed.status(), replayed.body());
        assertEquals(0, replayed.json().getLong("deliveredSeq"));
        assertNull(replayed.json().getString("secret"));
        assertTrue(audit("webhook.replayed").stream()
                .anyMatch(e -> e.getString("actor").equals("merchant:" + TestProcessor.MERCHANT)
                        && e.getString("detail").startsWith(mine)));
        admin(HttpMethod.DELETE, "/admin/webhooks/" + mine, null);
    }
}
