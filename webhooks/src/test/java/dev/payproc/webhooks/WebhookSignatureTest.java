package dev.payproc.webhooks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class WebhookSignatureTest {
    private static final String SECRET = "whsec_test-secret";
    private static final String BODY = "{\"seq\":1,\"type\":\"AUTHORIZATION\"}";
    private static final Instant AT = Instant.parse("2026-12-07T23:00:00Z");
    private static final Duration TOLERANCE = WebhookSignature.DEFAULT_TOLERANCE;

    @Test
    void theHeaderCarriesTheTimestampAndTheHexMacOfTimestampDotBody() {
        // printf '%s' "1796684400.$BODY" | openssl dgst -sha256 -hmac whsec_test-secret: computed outside Java.
        String header = WebhookSignature.header(SECRET, AT, BODY);
        assertEquals("t=1796684400,v1=4caa12faf974430417cfdd9403802cdbf9e30b4e3d77458ef2e0df00a2f0a951", header);
        assertEquals(header, WebhookSignature.header(SECRET, AT, BODY), "deterministic for one time and body");
    }

    @Test
    void aSignatureVerifiesWithItsSecretBodyAndTime() {
        String header = WebhookSignature.header(SECRET, AT, BODY);
        assertTrue(WebhookSignature.verify(SECRET, header, BODY, AT, TOLERANCE));
        assertTrue(WebhookSignature.verify(SECRET, header, BODY, AT.plusSeconds(300), TOLERANCE));
        assertTrue(WebhookSignature.verify(SECRET, header, BODY, AT.minusSeconds(300), TOLERANCE));
    }

    @Test
    void anotherSecretOrATamperedBodyDoesNotVerify() {
        String header = WebhookSignature.header(SECRET, AT, BODY);
        assertFalse(WebhookSignature.verify("whsec_other", header, BODY, AT, TOLERANCE));
        assertFalse(WebhookSignature.verify(SECRET, header, BODY.replace('1', '2'), AT, TOLERANCE));
        assertFalse(WebhookSignature.verify(SECRET, header, BODY + " ", AT, TOLERANCE));
    }

    @Test
    void aTimestampChangedInTheHeaderDoesNotVerify() {
        String header = WebhookSignature.header(SECRET, AT, BODY);
        String moved = header.replace("t=1796684400", "t=1796684401");
        assertFalse(WebhookSignature.verify(SECRET, moved, BODY, AT, TOLERANCE));
    }

    @Test
    void staleAndFutureTimestampsOutsideTheToleranceAreRefused() {
        String header = WebhookSignature.header(SECRET, AT, BODY);
        assertFalse(WebhookSignature.verify(SECRET, header, BODY, AT.plusSeconds(301), TOLERANCE));
        assertFalse(WebhookSignature.verify(SECRET, header, BODY, AT.minusSeconds(301), TOLERANCE));
        assertFalse(WebhookSignature.verify(SECRET, header, BODY, AT.plusSeconds(11), Duration.ofSeconds(10)));
    }

    @Test
    void anyOfSeveralV1SignaturesMayMatch() {
        String header = WebhookSignature.header(SECRET, AT, BODY);
        String v1 = header.substring(header.indexOf("v1="));
        String rotated = "t=1796684400,v1=" + "0".repeat(64) + "," + v1;
        assertTrue(WebhookSignature.verify(SECRET, rotated, BODY, AT, TOLERANCE));
    }

    @Test
    void malformedHeadersAreRefused() {
        String header = WebhookSignature.header(SECRET, AT, BODY);
        String v1 = header.substring(header.indexOf("v1=") + 3);
        for (String bad : new String[] {
            null,
            "",
            "garbage",
            "v1=" + v1,
            "t=1796684400",
            "t=1796684400,v1=",
            "t=1796684400,v1=" + v1.toUpperCase(),
            "t=1796684400,v1=" + v1.substring(1),
            "t=abc,v1=" + v1,
            "t=-1796684400,v1=" + v1,
            "t=1796684400,t=1796684400,v1=" + v1,
            "t=1796684400,,v1=" + v1,
            "t=99999999999999999999,v1=" + v1
        }) {
            assertFalse(WebhookSignature.verify(SECRET, bad, BODY, AT, TOLERANCE), String.valueOf(bad));
        }
        assertTrue(WebhookSignature.verify(SECRET, "t=1796684400, v1=" + v1, BODY, AT, TOLERANCE), "spaces allowed");
    }
}
