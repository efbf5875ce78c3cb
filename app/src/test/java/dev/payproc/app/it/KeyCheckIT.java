package dev.payproc.app.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.payproc.core.card.Sha256;
import dev.payproc.testkit.Bodies;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The first start records check values of CARD_HMAC_KEY and AUDIT_HMAC_KEY; a later start given another key under
 * either setting is refused naming it, and one given the same keys (the development keys spelt out) starts.
 */
class KeyCheckIT extends ProcessorIT {
    private static final String DEV_HMAC = b64(Sha256.of("payproc development hmac key"));
    private static final String DEV_ENCRYPTION = b64(Sha256.of("payproc development encryption key"));
    private static final String DEV_AUDIT = b64(Sha256.of("payproc development audit key"));
    private static final String OTHER = b64(Sha256.of("some other key"));

    private static String b64(byte[] key) {
        return Base64.getEncoder().encodeToString(key);
    }

    @Test
    void anotherHmacOrAuditKeyIsRefusedAndTheSameKeysStart() {
        String pan = Bodies.freshPan();
        String token = app.authorize("kc-1", Bodies.valid(pan).encode())
                .json()
                .getJsonObject("card")
                .getString("token");
        app.close();
        app = null;

        IllegalStateException hmac = assertThrows(
                IllegalStateException.class,
                () -> new TestProcessor(
                                db.settings(),
                                Map.of(
                                        "CARD_HMAC_KEY", OTHER,
                                        "CARD_ENCRYPTION_KEY", DEV_ENCRYPTION,
                                        "CARD_KEY_ID", "dev1"))
                        .close());
        assertTrue(hmac.getMessage().contains("CARD_HMAC_KEY"), hmac.getMessage());
        assertFalse(hmac.getMessage().contains(OTHER), "the key is never echoed");

        IllegalStateException audit = assertThrows(
                IllegalStateException.class,
                () -> new TestProcessor(db.settings(), Map.of("AUDIT_HMAC_KEY", OTHER)).close());
        assertTrue(audit.getMessage().contains("AUDIT_HMAC_KEY"), audit.getMessage());
        assertFalse(audit.getMessage().contains(OTHER), "the key is never echoed");

        app = new TestProcessor(
                db.settings(),
                Map.of(
                        "DEV_KEYS", "",
                        "CARD_HMAC_KEY", DEV_HMAC,
                        "CARD_ENCRYPTION_KEY", DEV_ENCRYPTION,
                        "CARD_KEY_ID", "dev1",
                        "AUDIT_HMAC_KEY", DEV_AUDIT));
        assertEquals(
                token,
                app.authorize("kc-2", Bodies.valid(pan).encode())
                        .json()
                        .getJsonObject("card")
                        .getString("token"),
                "the same keys give the same card the same token");
        assertEquals(
                2,
                db.count("SELECT count(*) FROM key_checks WHERE name IN ('CARD_HMAC_KEY', 'AUDIT_HMAC_KEY')"),
                "recorded at the first start, once");
    }
}
