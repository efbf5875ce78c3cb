package dev.payproc.app.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.payproc.core.card.Sha256;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A processor given another key under a key id its database already knows refuses to start. */
class CardKeyIdIT extends ProcessorIT {
    private static final String DEV_HMAC = b64(Sha256.of("payproc development hmac key"));
    private static final String DEV_ENCRYPTION = b64(Sha256.of("payproc development encryption key"));
    private static final String DEV_AUDIT = b64(Sha256.of("payproc development audit key"));

    private static String b64(byte[] key) {
        return Base64.getEncoder().encodeToString(key);
    }

    @Test
    void aNewKeyUnderAnOldKeyIdIsRefusedAtStart() {
        assertEquals(
                201,
                app.authorize("key-id-1", dev.payproc.testkit.Bodies.valid().encode())
                        .status());
        String other = Base64.getEncoder().encodeToString(new byte[32]);
        IllegalStateException e = assertThrows(
                IllegalStateException.class,
                () -> new TestProcessor(
                                db.settings(),
                                Map.of(
                                        "DEV_KEYS",
                                        "",
                                        "CARD_HMAC_KEY",
                                        DEV_HMAC,
                                        "CARD_ENCRYPTION_KEY",
                                        other,
                                        "CARD_KEY_ID",
                                        "dev1",
                                        "AUDIT_HMAC_KEY",
                                        DEV_AUDIT))
                        .close());
        assertTrue(e.getMessage().contains("key id dev1"), e.getMessage());
        assertFalse(e.getMessage().contains(other), "the key is never echoed");
        try (TestProcessor rotated = new TestProcessor(
                db.settings(),
                Map.of(
                        "DEV_KEYS",
                        "",
                        "CARD_HMAC_KEY",
                        DEV_HMAC,
                        "CARD_ENCRYPTION_KEY",
                        other,
                        "CARD_KEY_ID",
                        "k2",
                        "CARD_RETIRED_KEYS",
                        "dev1:" + DEV_ENCRYPTION,
                        "AUDIT_HMAC_KEY",
                        DEV_AUDIT))) {
            assertTrue(rotated.port() > 0, "a new key under a new id starts");
        }
    }
}
