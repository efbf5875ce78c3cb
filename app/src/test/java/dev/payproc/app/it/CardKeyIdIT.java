package dev.payproc.app.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A processor given another key under a key id its database already knows refuses to start. */
class CardKeyIdIT extends ProcessorIT {
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
                                        other,
                                        "CARD_ENCRYPTION_KEY",
                                        other,
                                        "CARD_KEY_ID",
                                        "dev1"))
                        .close());
        assertTrue(e.getMessage().contains("key id dev1"), e.getMessage());
        assertFalse(e.getMessage().contains(other), "the key is never echoed");
        try (TestProcessor rotated = new TestProcessor(
                db.settings(),
                Map.of("DEV_KEYS", "", "CARD_HMAC_KEY", other, "CARD_ENCRYPTION_KEY", other, "CARD_KEY_ID", "k2"))) {
            assertTrue(rotated.port() > 0, "the same key under a new id starts");
        }
    }
}
