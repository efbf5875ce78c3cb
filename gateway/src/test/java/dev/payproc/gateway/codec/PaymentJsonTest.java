package dev.payproc.gateway.codec;

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
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PaymentJsonTest {
    @Test
    void rendersTheContractShape() {
        CardOnFile card = new CardOnFile("tok_abc", "fp", "411111******1111", "12/29", null, null);
        Authorization a = new Authorization("m-1001", "t-\"77\"", 1250, "EUR", card, EntryMode.CONTACTLESS, "5411", "DE",
                CardholderVerification.NONE, CaptureMode.AUTO);
        Decision d = new Decision(DecisionStatus.DECLINED, 400, List.of(new Reason("VELOCITY_CARD", "6 attempts in 60s (limit 5)")), 3);
        Payment p = Payment.decided("pay_X", a, d, null, Instant.parse("2026-11-22T10:15:30Z"));
        JsonObject json = new JsonObject(PaymentJson.authorization(p));
        assertEquals("pay_X", json.getString("id"));
        assertEquals("DECLINED", json.getString("status"));
        assertTrue(json.containsKey("authCode") && json.getValue("authCode") == null);
        assertEquals(400, json.getInteger("riskScore"));
        assertEquals("VELOCITY_CARD", json.getJsonArray("reasons").getJsonObject(0).getString("code"));
        assertEquals(0, json.getLong("capturedAmount"), "a declined sale captures nothing");
        assertEquals(0, json.getLong("refundedAmount"));
        assertEquals(new JsonObject().put("token", "tok_abc").put("masked", "411111******1111").put("expiry", "12/29"),
                json.getJsonObject("card"));
        assertEquals("t-\"77\"", json.getString("terminalId"), "strings are escaped");
        assertEquals("2026-11-22T10:15:30.000Z", json.getString("createdAt"), "always three fraction digits");
        assertEquals(3, json.getInteger("ruleSetVersion"));
    }
}
