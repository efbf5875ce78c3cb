package dev.payproc.app.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.payproc.core.card.CardKeys;
import dev.payproc.core.card.CardTokenizer;
import dev.payproc.core.card.Sha256;
import dev.payproc.testkit.Bodies;
import dev.payproc.testkit.H2Client;
import dev.payproc.testkit.TestDatabase;
import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Rotating the card encryption key end to end: cards made under k1; a restart with k2 current and k1 retired;
 * re-encryption through the admin API (two at once, in small pages) moves every PAN under k2, counted and audited;
 * then k1 can be dropped, and a start that could not decrypt stored cards is refused naming the id.
 */
class CardReEncryptionIT {
    private static final String HMAC = b64(Sha256.of("re-encryption test hmac key"));
    private static final String AUDIT = b64(Sha256.of("re-encryption test audit key"));
    private static final byte[] K1 = Sha256.of("re-encryption test k1");
    private static final byte[] K2 = Sha256.of("re-encryption test k2");
    private static final byte[] K3 = Sha256.of("re-encryption test k3");
    private static final int CARDS = 25;

    private static String b64(byte[] key) {
        return Base64.getEncoder().encodeToString(key);
    }

    private static Map<String, String> keys(String id, byte[] key, String retired) {
        Map<String, String> env = new HashMap<>();
        env.put("DEV_KEYS", "");
        env.put("CARD_HMAC_KEY", HMAC);
        env.put("AUDIT_HMAC_KEY", AUDIT);
        env.put("CARD_KEY_ID", id);
        env.put("CARD_ENCRYPTION_KEY", b64(key));
        if (retired != null) env.put("CARD_RETIRED_KEYS", retired);
        return env;
    }

    private static Map<String, String> admin() {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("Authorization", "Bearer " + TestProcessor.ADMIN_KEY);
        h.put("Content-Type", "application/json");
        return h;
    }

    @Test
    void retiredKeyCardsAreReEncryptedUnderTheCurrentKeyAndTheRetiredKeyCanBeDropped() {
        try (TestDatabase db = new TestDatabase()) {
            Map<String, String> panByToken = new LinkedHashMap<>();
            try (TestProcessor k1 = new TestProcessor(db.settings(), keys("k1", K1, null))) {
                for (int i = 0; i < CARDS; i++) {
                    String pan = Bodies.freshPan();
                    H2Client.Response r =
                            k1.authorize("re-" + i, Bodies.valid(pan).encode());
                    assertEquals(201, r.status(), r.body());
                    panByToken.put(r.json().getJsonObject("card").getString("token"), pan);
                }
            }
            assertEquals(CARDS, db.count("SELECT count(*) FROM cards WHERE key_id = 'k1'"));

            IllegalStateException withoutK1 = assertThrows(
                    IllegalStateException.class, () -> new TestProcessor(db.settings(), keys("k2", K2, null)).close());
            assertTrue(withoutK1.getMessage().contains("k1 (" + CARDS + " cards)"), withoutK1.getMessage());
            assertTrue(withoutK1.getMessage().contains("CARD_RETIRED_KEYS"), withoutK1.getMessage());

            try (TestProcessor k2 = new TestProcessor(db.settings(), keys("k2", K2, "k1:" + b64(K1)))) {
                H2Client c = k2.client();
                JsonObject before = c.get("/admin/cards/keys", admin()).json();
                assertEquals("k2", before.getString("currentKeyId"));
                assertEquals(List.of("k1"), before.getJsonArray("retiredKeyIds").getList());
                assertEquals(new JsonObject().put("k1", CARDS).put("k2", 0), before.getJsonObject("cardsByKeyId"));

                badRequests(c);

                // Two re-encryptions at once, as two processes would: SKIP LOCKED shares the pages between them.
                List<Future<H2Client.Response>> runs = new ArrayList<>();
                for (int i = 0; i < 2; i++)
                    runs.add(c.sendAsync(HttpMethod.POST, "/admin/cards/re-encrypt", admin(), "{\"pageSize\":3}"));
                long reEncrypted = 0;
                for (Future<H2Client.Response> run : runs) {
                    H2Client.Response r = dev.payproc.testkit.Await.result(run);
                    assertEquals(200, r.status(), r.body());
                    reEncrypted += r.json().getLong("reEncrypted");
                }
                assertEquals(CARDS, reEncrypted, "each PAN re-encrypted once");
                H2Client.Response again = c.send(HttpMethod.POST, "/admin/cards/re-encrypt", admin(), "");
                assertEquals(200, again.status(), again.body());
                assertEquals(0, again.json().getLong("reEncrypted"));
                assertEquals(new JsonObject().put("k1", 0), again.json().getJsonObject("remainingByKeyId"));
                assertFalse(again.json().getBoolean("morePages"));
                assertEquals(
                        new JsonObject().put("k1", 0).put("k2", CARDS),
                        c.get("/admin/cards/keys", admin()).json().getJsonObject("cardsByKeyId"));

                assertEquals(
                        3,
                        db.count("SELECT count(*) FROM admin_audit WHERE action = 'cards.re_encrypted'"
                                + " AND actor = 'admin'"));
                assertEquals(
                        CARDS,
                        db.count("SELECT sum((detail::jsonb ->> 'reEncrypted')::int) FROM admin_audit"
                                + " WHERE action = 'cards.re_encrypted'"));

                // A payment by token still resolves its card.
                String token = panByToken.keySet().iterator().next();
                H2Client.Response byToken = k2.authorize(
                        "re-token",
                        Bodies.valid()
                                .put("card", new JsonObject().put("token", token))
                                .encode());
                assertEquals(201, byToken.status(), byToken.body());
            }

            // Every PAN decrypts under k2 alone, and is the PAN first presented.
            CardTokenizer k2Only = new CardTokenizer(new CardKeys(Sha256.of("any hmac key, 32 bytes"), "k2", K2));
            int checked = 0;
            for (Row r : db.query("SELECT token, key_id, pan_ciphertext FROM cards")) {
                assertEquals("k2", r.getString(1));
                assertEquals(
                        panByToken.get(r.getString(0)),
                        k2Only.decrypt(r.getBuffer(2).getBytes(), r.getString(1)));
                checked++;
            }
            assertEquals(CARDS, checked);

            try (TestProcessor dropped = new TestProcessor(db.settings(), keys("k2", K2, null))) {
                assertTrue(dropped.port() > 0, "with no card left under k1, k1 can be dropped");
            }

            IllegalStateException unknown = assertThrows(
                    IllegalStateException.class, () -> new TestProcessor(db.settings(), keys("k3", K3, null)).close());
            assertTrue(unknown.getMessage().contains("k2 (" + CARDS + " cards)"), unknown.getMessage());
            assertFalse(unknown.getMessage().contains(b64(K3)), "the key is never echoed");
        }
    }

    private static void badRequests(H2Client c) {
        String path = "/admin/cards/re-encrypt";
        for (String body : List.of(
                "not json",
                "[1]",
                "{\"pageSize\":0}",
                "{\"pageSize\":10001}",
                "{\"pageSize\":\"10\"}",
                "{\"pageSize\":1.5}",
                "{\"maxPages\":0}")) {
            H2Client.Response r = c.send(HttpMethod.POST, path, admin(), body);
            assertEquals(400, r.status(), body + " -> " + r.body());
            assertEquals("invalid_request", r.json().getString("error"), r.body());
        }
        Map<String, String> wrong = new LinkedHashMap<>(admin());
        wrong.put("Authorization", "Bearer " + TestProcessor.API_KEY); // a merchant's key is not the admin key
        assertEquals(401, c.send(HttpMethod.POST, path, wrong, "{}").status());
        assertEquals(401, c.get("/admin/cards/keys", wrong).status());
        Map<String, String> none = new LinkedHashMap<>(admin());
        none.remove("Authorization");
        assertEquals(401, c.send(HttpMethod.POST, path, none, "{}").status());
        assertEquals(401, c.get("/admin/cards/keys", none).status());
    }
}
