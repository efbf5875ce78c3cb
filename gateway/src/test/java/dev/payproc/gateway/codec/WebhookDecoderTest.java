package dev.payproc.gateway.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class WebhookDecoderTest {
    private static Decoded<WebhookDecoder.Registration> registration(String json) {
        return WebhookDecoder.registration(json.getBytes(StandardCharsets.UTF_8));
    }

    private static Decoded<Long> replay(String json) {
        return WebhookDecoder.replay(json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aRegistrationWithAndWithoutEventTypes() {
        assertEquals(
                new WebhookDecoder.Registration("m-1", "https://x.example/h", List.of("CAPTURE", "VOID")),
                registration(
                                "{\"merchantId\":\"m-1\",\"url\":\"https://x.example/h\",\"eventTypes\":[\"CAPTURE\",\"VOID\"]}")
                        .value());
        assertEquals(
                List.of(),
                registration("{\"url\":\"https://x\",\"merchantId\":\"m\"}")
                        .value()
                        .eventTypes());
    }

    @Test
    void aBadRegistrationNamesTheField() {
        assertRefused("{\"merchantId\":\"m\",\"url\":\"https://x\",\"secret\":\"mine\"}", "secret");
        assertRefused("{\"merchantId\":\"m\",\"url\":\"https://x\",\"4111111111111111\":1}", "****************");
        assertRefused("{\"url\":\"https://x\"}", "merchantId");
        assertRefused("{\"merchantId\":\"m\"}", "url");
        assertRefused("{\"merchantId\":7,\"url\":\"https://x\"}", "merchantId");
        assertRefused("{\"merchantId\":\"m\",\"url\":[\"https://x\"]}", "url");
        assertRefused("{\"merchantId\":\"m\",\"url\":\"https://x\",\"eventTypes\":\"CAPTURE\"}", "eventTypes");
        assertRefused("{\"merchantId\":\"m\",\"url\":\"https://x\",\"eventTypes\":[1]}", "eventTypes");
        assertRefused("{\"merchantId\":\"m\",\"url\":\"https://x\",\"eventTypes\":[[\"CAPTURE\"]]}", "eventTypes");
        assertRefused("{\"merchantId\":\"m\",\"merchantId\":\"n\",\"url\":\"https://x\"}", null);
        assertRefused("{\"merchantId\":\"m\",\"url\":\"https://x\"} {}", null);
        assertRefused("[]", null);
        assertRefused("", null);
        assertRefused("{\"merchantId\":", null);
    }

    @Test
    void aReplayTakesOneWholeNumberOfZeroOrMore() {
        assertEquals(0L, replay("{\"after\":0}").value());
        assertEquals(42L, replay("{\"after\":42}").value());
        for (String bad : new String[] {
            "{}",
            "{\"after\":-1}",
            "{\"after\":1.5}",
            "{\"after\":\"3\"}",
            "{\"after\":99999999999999999999}",
            "{\"after\":1,\"extra\":2}",
            "{\"after\":null}",
            "",
            "3"
        }) {
            assertFalse(replay(bad).isValid(), bad);
        }
    }

    private static void assertRefused(String json, String field) {
        Decoded<WebhookDecoder.Registration> d = registration(json);
        assertFalse(d.isValid(), json);
        assertEquals(field, d.invalid().field(), json);
        assertTrue(!d.invalid().message().contains("mine"), d.invalid().message());
    }
}
