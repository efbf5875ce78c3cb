package dev.payproc.app.it;

import static dev.payproc.testkit.Asserts.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.payproc.testkit.Bodies;
import dev.payproc.testkit.H2Client;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** A candidate rule set judged on live traffic (shadow) and on stored authorizations (backtest), changing no answer. */
class ShadowAndBacktestIT extends ProcessorIT {
    private static final String STRICT = "{\"version\":9,\"velocity\":{\"card\":{\"limit\":1,\"windowSeconds\":60}}}";

    private H2Client.Response admin(HttpMethod method, String path, String body) {
        return app.admin(method, path, body);
    }

    private void twiceWithOneCard() {
        String pan = Bodies.freshPan();
        for (int i = 0; i < 2; i++) {
            H2Client.Response r =
                    app.authorize("s-" + UUID.randomUUID(), Bodies.valid(pan).encode());
            assertEquals("APPROVED", r.json().getString("status"), "the live rule set decides: " + r.body());
        }
    }

    @Test
    void aShadowRuleSetReportsWhatItWouldChange() {
        assertError(admin(HttpMethod.GET, "/admin/risk-rules/shadow", null), 404, "not_found", null);
        assertError(
                admin(
                        HttpMethod.PUT,
                        "/admin/risk-rules/shadow",
                        "{\"version\":9,\"velocity\":{\"card\":{\"limit\":0}}}"),
                400,
                "invalid_request",
                "velocity.card.limit");
        H2Client.Response started = admin(HttpMethod.PUT, "/admin/risk-rules/shadow", STRICT);
        assertEquals(200, started.status(), started.body());
        twiceWithOneCard();
        JsonObject report =
                admin(HttpMethod.GET, "/admin/risk-rules/shadow", null).json();
        assertEquals(9, report.getInteger("candidateVersion"));
        assertEquals(2, report.getLong("compared"));
        assertEquals(1, report.getLong("changed"));
        assertEquals(new JsonObject().put("APPROVED->DECLINED", 1), report.getJsonObject("transitions"));
        assertEquals(1, report.getJsonObject("rulesAdded").getLong("VELOCITY_CARD"));
        assertEquals(
                1,
                admin(HttpMethod.GET, "/admin/risk-rules", null).json().getInteger("version"),
                "the live rule set is unchanged");
        assertEquals(
                200, admin(HttpMethod.DELETE, "/admin/risk-rules/shadow", null).status());
        assertError(admin(HttpMethod.GET, "/admin/risk-rules/shadow", null), 404, "not_found", null);
    }

    @Test
    void aBacktestReplaysStoredAuthorizationsWithACandidate() {
        twiceWithOneCard();
        twiceWithOneCard();
        String today = java.time.LocalDate.now(java.time.ZoneOffset.UTC).toString();
        String tomorrow =
                java.time.LocalDate.now(java.time.ZoneOffset.UTC).plusDays(1).toString();
        H2Client.Response r = admin(
                HttpMethod.POST,
                "/admin/risk-rules/backtest",
                "{\"rules\":" + STRICT + ",\"from\":\"" + today + "\",\"to\":\"" + tomorrow + "\"}");
        assertEquals(200, r.status(), r.body());
        JsonObject report = r.json();
        long stored = db.count("SELECT count(*) FROM payments");
        assertEquals(stored, report.getLong("compared"));
        assertTrue(report.getLong("changed") >= 2, report.encode());
        assertTrue(report.getJsonObject("transitions").getLong("APPROVED->DECLINED") >= 2, report.encode());
        assertFalse(report.getBoolean("truncated"));

        H2Client.Response same = admin(
                HttpMethod.POST,
                "/admin/risk-rules/backtest",
                "{\"rules\":{\"version\":10},\"from\":\"" + today + "\",\"to\":\"" + tomorrow + "\"}");
        assertEquals(
                0, same.json().getLong("changed"), "the default rules reproduce what they decided: " + same.body());

        assertError(
                admin(
                        HttpMethod.POST,
                        "/admin/risk-rules/backtest",
                        "{\"rules\":{\"version\":0},\"from\":\"" + today + "\",\"to\":\"" + tomorrow + "\"}"),
                400,
                "invalid_request",
                "rules.version");
        assertError(
                admin(
                        HttpMethod.POST,
                        "/admin/risk-rules/backtest",
                        "{\"rules\":{\"version\":3},\"from\":\"yesterday\",\"to\":\"" + tomorrow + "\"}"),
                400,
                "invalid_request",
                "from");
    }
}
