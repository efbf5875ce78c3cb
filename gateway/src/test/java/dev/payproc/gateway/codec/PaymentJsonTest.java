package dev.payproc.gateway.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.payproc.core.model.Authorization;
import dev.payproc.core.model.CaptureMode;
import dev.payproc.core.model.CardOnFile;
import dev.payproc.core.model.CardholderVerification;
import dev.payproc.core.model.Decision;
import dev.payproc.core.model.DecisionStatus;
import dev.payproc.core.model.EntryMode;
import dev.payproc.core.model.Payment;
import dev.payproc.core.model.Reason;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class PaymentJsonTest {
    private static String time(Instant t) {
        return PaymentJson.appendTime(new StringBuilder(), t).toString();
    }

    @Test
    void timesAreRfc3339UtcWithThreeDigitMilliseconds() {
        assertEquals("1970-01-01T00:00:00.000Z", time(Instant.EPOCH));
        assertEquals("1969-12-31T23:59:59.999Z", time(Instant.ofEpochMilli(-1)));
        assertEquals("2024-02-29T09:05:07.040Z", time(Instant.parse("2024-02-29T09:05:07.040123Z")));
        assertEquals("0999-01-02T03:04:05.006Z", time(Instant.parse("0999-01-02T03:04:05.006Z")));
        DateTimeFormatter reference =
                DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);
        SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < 100_000; i++) { // years 0 to 9999, any nanosecond
            Instant t = Instant.ofEpochSecond(
                    random.nextLong(-62_167_219_200L, 253_402_300_800L), random.nextInt(1_000_000_000));
            assertEquals(reference.format(t), time(t), t::toString);
        }
    }

    @Test
    void rendersTheContractShape() {
        CardOnFile card = new CardOnFile("tok_abc", "fp", "411111******1111", "41111111", "12/29", null, null);
        Authorization a = new Authorization(
                "m-1001",
                "t-\"77\"",
                1250,
                "EUR",
                card,
                EntryMode.CONTACTLESS,
                "5411",
                "DE",
                CardholderVerification.NONE,
                CaptureMode.AUTO);
        Decision d = new Decision(
                DecisionStatus.DECLINED, 400, List.of(new Reason("VELOCITY_CARD", "6 attempts in 60s (limit 5)")), 3);
        Payment p = Payment.decided("pay_X", a, d, null, Instant.parse("2026-11-22T10:15:30Z"));
        JsonObject json = new JsonObject(PaymentJson.authorization(p));
        assertEquals("pay_X", json.getString("id"));
        assertEquals("DECLINED", json.getString("status"));
        assertTrue(json.containsKey("authCode") && json.getValue("authCode") == null);
        assertEquals(400, json.getInteger("riskScore"));
        assertEquals(
                "VELOCITY_CARD", json.getJsonArray("reasons").getJsonObject(0).getString("code"));
        assertEquals(0, json.getLong("capturedAmount"), "a declined sale captures nothing");
        assertEquals(0, json.getLong("refundedAmount"));
        assertEquals(
                new JsonObject()
                        .put("token", "tok_abc")
                        .put("masked", "411111******1111")
                        .put("expiry", "12/29"),
                json.getJsonObject("card"));
        assertEquals("t-\"77\"", json.getString("terminalId"), "strings are escaped");
        assertEquals("2026-11-22T10:15:30.000Z", json.getString("createdAt"), "always three fraction digits");
        assertEquals(3, json.getInteger("ruleSetVersion"));
    }
}
