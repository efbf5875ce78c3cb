package dev.payproc.app.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.payproc.core.card.Sha256;
import io.vertx.core.http.HttpMethod;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Webhook secrets are sealed under the card encryption key of an id: a start without that key (neither current nor
 * retired) while an enabled endpoint uses it is refused, naming the id, since its deliveries could never be signed.
 */
class WebhookKeyIdIT extends ProcessorIT {
    private static final String DEV_HMAC = b64(Sha256.of("payproc development hmac key"));
    private static final String DEV_ENCRYPTION = b64(Sha256.of("payproc development encryption key"));
    private static final String DEV_AUDIT = b64(Sha256.of("payproc development audit key"));
    private static final String NEW_KEY = b64(new byte[32]);

    private static String b64(byte[] key) {
        return Base64.getEncoder().encodeToString(key);
    }

    private static Map<String, String> underNewKey(String retired) {
        Map<String, String> env = new HashMap<>(Map.of(
                "DEV_KEYS", "",
                "CARD_HMAC_KEY", DEV_HMAC,
                "CARD_ENCRYPTION_KEY", NEW_KEY,
                "CARD_KEY_ID", "k2",
                "AUDIT_HMAC_KEY", DEV_AUDIT));
        if (retired != null) env.put("CARD_RETIRED_KEYS", retired);
        return env;
    }

    @Test
    void aStartWithoutTheKeyOfAnEnabledEndpointsSecretIsRefusedNamingItsId() {
        String id = WebhookDeliveryIT.register(app, "http://127.0.0.1:9/hooks").getString("id");
        IllegalStateException e = assertThrows(
                IllegalStateException.class, () -> new TestProcessor(db.settings(), underNewKey(null)).close());
        assertTrue(e.getMessage().contains("card key id(s) dev1 (1 webhook endpoints)"), e.getMessage());
        assertFalse(e.getMessage().contains(NEW_KEY), "the key is never echoed");

        try (TestProcessor retiredKept = new TestProcessor(db.settings(), underNewKey("dev1:" + DEV_ENCRYPTION))) {
            assertTrue(retiredKept.port() > 0, "with the old key retired it starts");
        }
        assertEquals(
                200, app.admin(HttpMethod.DELETE, "/admin/webhooks/" + id, null).status());
        try (TestProcessor afterDisabling = new TestProcessor(db.settings(), underNewKey(null))) {
            assertTrue(afterDisabling.port() > 0, "a disabled endpoint's secret is never needed again");
        }
    }
}
