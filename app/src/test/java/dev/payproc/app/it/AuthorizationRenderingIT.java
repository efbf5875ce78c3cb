package dev.payproc.app.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.payproc.testkit.Bodies;
import dev.payproc.testkit.H2Client;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The authorization answer carries the currency's exponent and decimals (issue 18), and a payment answered in the
 * rendering from before that change is still replayed with its own bytes after a restart: the stored answer is only a
 * digest (V17), so the replay renders every kept rendering and sends the one whose digest matches.
 */
class AuthorizationRenderingIT extends ProcessorIT {
    private static String key() {
        return "rendering-" + UUID.randomUUID();
    }

    private static JsonObject body(String currency, long amount) {
        return Bodies.valid(Bodies.freshPan()).put("currency", currency).put("amount", amount);
    }

    private void restart() {
        app.close();
        app = new TestProcessor(db.settings(), env());
    }

    private static void assertExponent(JsonObject answer, int exponent, String amount) {
        assertEquals(exponent, answer.getInteger("exponent"), answer.encode());
        JsonObject decimal = answer.getJsonObject("decimal");
        assertEquals(amount, decimal.getString("amount"), answer.encode());
        assertEquals(amount, decimal.getString("captured"), "a sale captures all: " + answer.encode());
        assertEquals(exponent == 0 ? "0" : "0." + "0".repeat(exponent), decimal.getString("refunded"));
        assertEquals(exponent == 0 ? "0" : "0." + "0".repeat(exponent), decimal.getString("fee"));
    }

    @Test
    void anAuthorizationIsAnsweredWithItsCurrencysExponent() {
        H2Client.Response jpy = app.authorize(key(), body("JPY", 12_000).encode());
        assertEquals(201, jpy.status(), jpy.body());
        assertExponent(jpy.json(), 0, "12000");
        H2Client.Response eur = app.authorize(key(), body("EUR", 1250).encode());
        assertEquals(201, eur.status(), eur.body());
        assertExponent(eur.json(), 2, "12.50");
        H2Client.Response kwd = app.authorize(key(), body("KWD", 12_345).encode());
        assertEquals(201, kwd.status(), kwd.body());
        assertExponent(kwd.json(), 3, "12.345");

        // The batch's results are the same answers.
        String k = key();
        JsonArray items = new JsonArray()
                .add(body("JPY", 700).put("idempotencyKey", k + "-jpy"))
                .add(body("EUR", 700).put("idempotencyKey", k + "-eur"))
                .add(body("KWD", 700).put("idempotencyKey", k + "-kwd"));
        H2Client.Response batch = app.batch(new JsonObject().put("items", items).encode());
        assertEquals(200, batch.status(), batch.body());
        JsonArray results = batch.json().getJsonArray("results");
        assertEquals(201, results.getJsonObject(0).getInteger("httpStatus"), batch.body());
        assertExponent(results.getJsonObject(0), 0, "700");
        assertExponent(results.getJsonObject(1), 2, "7.00");
        assertExponent(results.getJsonObject(2), 3, "0.700");
    }

    @Test
    void aPaymentAnsweredInThePreviousRenderingReplaysItsOwnBytesAfterARestart() {
        String oldKey = key();
        String oldBody = body("KWD", 12_345).encode();
        H2Client.Response sent = app.authorize(oldKey, oldBody);
        assertEquals(201, sent.status(), sent.body());
        String paymentId = sent.json().getString("id");
        // The answer as the code before issue 18 rendered it: the same fields up to createdAt, no exponent; its
        // digest stored as that code stored it (V17: sha256 of the UTF-8 body).
        int exponentAt = sent.body().indexOf(",\"exponent\":");
        assertTrue(exponentAt > 0, sent.body());
        String previous = sent.body().substring(0, exponentAt) + "}";
        assertTrue(previous.endsWith("Z\"}"), previous);
        assertFalse(new JsonObject(previous).containsKey("exponent"));
        assertEquals(
                1,
                db.query(
                                "UPDATE idempotency_keys SET response_digest = sha256(convert_to($2, 'UTF8'))"
                                        + " WHERE payment_id = $1 AND response_body IS NULL",
                                paymentId,
                                previous)
                        .rowCount());

        // One answered in the current rendering, to replay beside it.
        String newKey = key();
        String newBody = body("JPY", 5_000).encode();
        H2Client.Response current = app.authorize(newKey, newBody);
        assertEquals(201, current.status(), current.body());

        restart(); // nothing in memory: the replays are rendered again from the payment rows
        H2Client.Response replayed = app.authorize(oldKey, oldBody);
        assertEquals(200, replayed.status(), replayed.body());
        assertEquals("true", replayed.header("Idempotent-Replayed"));
        assertEquals(previous, replayed.body(), "the previous rendering's bytes, not the current one's");
        assertNotEquals(sent.body(), replayed.body());

        H2Client.Response replayedCurrent = app.authorize(newKey, newBody);
        assertEquals(200, replayedCurrent.status(), replayedCurrent.body());
        assertEquals(current.body(), replayedCurrent.body());
        assertExponent(replayedCurrent.json(), 0, "5000");

        // A digest that no rendering matches is never answered with either body.
        db.query(
                "UPDATE idempotency_keys SET response_digest = sha256(convert_to($2, 'UTF8'))"
                        + " WHERE payment_id = $1 AND response_body IS NULL",
                paymentId,
                previous.replace("\"riskScore\":", "\"riskScore\": "));
        restart();
        H2Client.Response refused = app.authorize(oldKey, oldBody);
        assertEquals(500, refused.status(), refused.body());
        assertFalse(refused.body().contains(paymentId), refused.body());
    }
}
