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

    private static Payment approved(String currency, long amount, long fee) {
        CardOnFile card = new CardOnFile("tok_abc", "fp", "411111******1111", "41111111", "12/29", null, null);
        Authorization a = new Authorization(
                "m-1001",
                "t-77",
                amount,
                currency,
                card,
                EntryMode.CHIP,
                "5411",
                "DE",
                CardholderVerification.PIN,
                CaptureMode.AUTO);
        Decision d = new Decision(DecisionStatus.APPROVED, 120, List.of(), 4);
        return Payment.decided("pay_Y", a, d, "A1B2C3", Instant.parse("2026-12-08T01:02:03.004Z"))
                .withFee(fee);
    }

    /** The answer every payment authorized before issue 18 was sent, byte for byte: replays render it again. */
    private static final String V1_EUR =
            "{\"id\":\"pay_Y\",\"status\":\"APPROVED\",\"authCode\":\"A1B2C3\",\"riskScore\":120,"
                    + "\"reasons\":[],\"amount\":1250,\"currency\":\"EUR\",\"capturedAmount\":1250,\"refundedAmount\":0,"
                    + "\"fee\":35,\"card\":{\"token\":\"tok_abc\",\"masked\":\"411111******1111\",\"expiry\":\"12/29\"},"
                    + "\"merchantId\":\"m-1001\",\"terminalId\":\"t-77\",\"entryMode\":\"CHIP\",\"capture\":\"AUTO\","
                    + "\"ruleSetVersion\":4,\"createdAt\":\"2026-12-08T01:02:03.004Z\"}";

    @Test
    void thePreviousAuthorizationRenderingIsKeptByteForByte() {
        Payment p = approved("EUR", 1250, 35);
        assertEquals(V1_EUR, PaymentJson.AuthorizationRendering.V1.render(p));
    }

    @Test
    void theCurrentAuthorizationRenderingAddsTheExponentAndDecimalsToThePreviousOne() {
        Payment p = approved("EUR", 1250, 35);
        String current = PaymentJson.authorization(p);
        assertEquals(PaymentJson.AuthorizationRendering.V2_EXPONENT.render(p), current);
        assertEquals(
                V1_EUR.substring(0, V1_EUR.length() - 1)
                        + ",\"exponent\":2,\"decimal\":{\"amount\":\"12.50\",\"captured\":\"12.50\",\"refunded\":\"0.00\","
                        + "\"fee\":\"0.35\"}}",
                current);
        JsonObject jpy = new JsonObject(PaymentJson.authorization(approved("JPY", 1250, 0)));
        assertEquals(0, jpy.getInteger("exponent"));
        assertEquals(
                new JsonObject()
                        .put("amount", "1250")
                        .put("captured", "1250")
                        .put("refunded", "0")
                        .put("fee", "0"),
                jpy.getJsonObject("decimal"));
        JsonObject kwd = new JsonObject(PaymentJson.authorization(approved("KWD", 12345, 7)));
        assertEquals(3, kwd.getInteger("exponent"));
        assertEquals(
                new JsonObject()
                        .put("amount", "12.345")
                        .put("captured", "12.345")
                        .put("refunded", "0.000")
                        .put("fee", "0.007"),
                kwd.getJsonObject("decimal"));
    }

    @Test
    void aReplayIsOfferedEveryRenderingNewestFirst() {
        Payment p = approved("EUR", 1250, 35);
        assertEquals(List.of(PaymentJson.authorization(p), V1_EUR), PaymentJson.authorizationRenderings(p));
        // A payment in a currency without an exponent (no longer accepted) only had the previous rendering.
        Payment odd = approved("XXX", 5, 0);
        assertEquals(
                List.of(PaymentJson.AuthorizationRendering.V1.render(odd)), PaymentJson.authorizationRenderings(odd));
    }
}
