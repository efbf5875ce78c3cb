package dev.payproc.app.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.payproc.core.audit.AuditKey;
import dev.payproc.core.card.CardKeys;
import dev.payproc.core.card.CardTokenizer;
import dev.payproc.core.card.Sha256;
import dev.payproc.core.model.CardOnFile;
import dev.payproc.ledger.admin.CardHmacRotation;
import dev.payproc.ledger.admin.RiskRuleStore;
import dev.payproc.ledger.audit.AdminAudit;
import dev.payproc.testkit.Await;
import dev.payproc.testkit.Bodies;
import dev.payproc.testkit.H2Client;
import dev.payproc.testkit.TestDatabase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Rotating CARD_HMAC_KEY from A to B (README, "Card keys"): cards keep their tokens (by PAN and by token, single and
 * batch), risk sees one card (velocity counted across the change, the blocklist translated), new cards are derived
 * under B, the seals still verify; the refusals (no previous key, a wrong one, a process still on A); and a rotation
 * stopped after some pages resumes at the next start, even without the previous key.
 */
class CardHmacRotationIT {
    private static final byte[] A = Sha256.of("hmac rotation test key A");
    private static final byte[] B = Sha256.of("hmac rotation test key B");
    private static final byte[] WRONG = Sha256.of("hmac rotation test: no key of this database");
    private static final byte[] ENC = Sha256.of("hmac rotation test encryption key");
    private static final byte[] AUDIT = Sha256.of("hmac rotation test audit key");
    private static final String UNTRANSLATABLE = "0123456789abcdef0123456789abcdef";

    private static String b64(byte[] key) {
        return Base64.getEncoder().encodeToString(key);
    }

    private static Map<String, String> keys(byte[] hmac, byte[] previous) {
        Map<String, String> env = new HashMap<>();
        env.put("DEV_KEYS", "");
        env.put("CARD_HMAC_KEY", b64(hmac));
        env.put("CARD_ENCRYPTION_KEY", b64(ENC));
        env.put("CARD_KEY_ID", "k1");
        env.put("AUDIT_HMAC_KEY", b64(AUDIT));
        if (previous != null) env.put("CARD_PREVIOUS_HMAC_KEY", b64(previous));
        return env;
    }

    private static CardTokenizer tokenizer(byte[] hmac) {
        return new CardTokenizer(new CardKeys(hmac, "k1", ENC));
    }

    private static String token(H2Client.Response r) {
        assertEquals(201, r.status(), r.body());
        return r.json().getJsonObject("card").getString("token");
    }

    private static JsonObject reason(JsonObject payment, String code) {
        for (Object o : payment.getJsonArray("reasons")) {
            if (code.equals(((JsonObject) o).getString("code"))) return (JsonObject) o;
        }
        throw new AssertionError("no " + code + " reason in " + payment.encode());
    }

    private static IllegalStateException refused(TestDatabase db, Map<String, String> env) {
        return assertThrows(IllegalStateException.class, () -> new TestProcessor(db.settings(), env).close());
    }

    @Test
    void cardsKeepTheirTokensAndRiskSeesOneCardAcrossTheRotation() {
        try (TestDatabase db = new TestDatabase()) {
            String velocityPan = Bodies.freshPan();
            String blockedPan = Bodies.freshPan();
            String tokenPan = Bodies.freshPan();
            String velocityToken;
            String blockedToken;
            String tokenPanToken;
            String blockedFingerprintA;
            try (TestProcessor a = new TestProcessor(db.settings(), keys(A, null))) {
                blockedToken = token(
                        a.authorize("r-blocked-1", Bodies.valid(blockedPan).encode()));
                tokenPanToken =
                        token(a.authorize("r-token-1", Bodies.valid(tokenPan).encode()));
                blockedFingerprintA = db.query("SELECT fingerprint FROM cards WHERE token = $1", blockedToken)
                        .iterator()
                        .next()
                        .getString(0);
                JsonObject rules =
                        a.admin(HttpMethod.GET, "/admin/risk-rules", null).json();
                rules.put("version", rules.getInteger("version") + 1)
                        .put(
                                "blocklist",
                                rules.getJsonObject("blocklist", new JsonObject())
                                        .put(
                                                "cardFingerprints",
                                                new JsonArray()
                                                        .add(blockedFingerprintA)
                                                        .add(UNTRANSLATABLE)));
                H2Client.Response put = a.admin(HttpMethod.PUT, "/admin/risk-rules", rules.encode());
                assertEquals(200, put.status(), put.body());
                JsonObject declined = a.authorize(
                                "r-blocked-2", Bodies.valid(blockedPan).encode())
                        .json();
                assertEquals("DECLINED", declined.getString("status"), declined.encode());
                assertEquals(
                        "blocklisted: card fingerprint",
                        reason(declined, "BLOCKLIST").getString("message"));
            }
            assertEquals(
                    tokenizer(A)
                            .tokenize(tokenPan, "12/30", TestProcessor.MERCHANT)
                            .token(),
                    tokenPanToken);

            // Without the previous key a new key is refused as before; a wrong previous key is refused naming it.
            IllegalStateException noPrevious = refused(db, keys(B, null));
            assertTrue(noPrevious.getMessage().contains("CARD_HMAC_KEY"), noPrevious.getMessage());
            assertTrue(noPrevious.getMessage().contains("CARD_PREVIOUS_HMAC_KEY"), "says how to rotate");
            IllegalStateException wrong = refused(db, keys(B, WRONG));
            assertTrue(wrong.getMessage().contains("CARD_PREVIOUS_HMAC_KEY"), wrong.getMessage());
            assertFalse(wrong.getMessage().contains(b64(WRONG)), "the key is never echoed");
            assertFalse(wrong.getMessage().contains(b64(B)), "the key is never echoed");
            assertEquals(0, db.count("SELECT count(*) FROM card_hmac_rotations"), "nothing started");

            Map<String, String> payments = new HashMap<>(); // payment id -> its fingerprint under A
            try (TestProcessor a = new TestProcessor(db.settings(), keys(A, null))) {
                // A process still on A: the rotation refuses to start, saying how many to stop.
                IllegalStateException running = refused(db, keys(B, A));
                assertTrue(
                        running.getMessage().contains("1 processor process is still running on the previous"),
                        running.getMessage());
                assertEquals(0, db.count("SELECT count(*) FROM card_hmac_rotations"), "nothing started");
                // Five attempts of one card under A: the velocity limit (5 in 60 s) is reached.
                velocityToken =
                        token(a.authorize("r-v-1", Bodies.valid(velocityPan).encode()));
                for (int i = 2; i <= 5; i++) {
                    H2Client.Response r =
                            a.authorize("r-v-" + i, Bodies.valid(velocityPan).encode());
                    assertEquals("APPROVED", r.json().getString("status"), r.body());
                }
            }
            for (Row r : db.query("SELECT id, card_fingerprint FROM payments"))
                payments.put(r.getString(0), r.getString(1));
            long cardsBefore = db.count("SELECT count(*) FROM cards");

            try (TestProcessor b = new TestProcessor(db.settings(), keys(B, A))) {
                // Velocity continues: the sixth attempt, the first under B, is the one over the limit.
                H2Client.Response sixth =
                        b.authorize("r-v-6", Bodies.valid(velocityPan).encode());
                assertEquals(velocityToken, token(sixth), "the same PAN gets back its original token");
                assertEquals("DECLINED", sixth.json().getString("status"), sixth.body());
                assertEquals(
                        "6 attempts in 60s (limit 5)",
                        reason(sixth.json(), "VELOCITY_CARD").getString("message"));
                assertEquals(
                        velocityToken,
                        db.query(
                                        "SELECT card_token FROM payments WHERE id = $1",
                                        sixth.json().getString("id"))
                                .iterator()
                                .next()
                                .getString(0));

                // The blocklist was translated to B: the card is still declined for it.
                JsonObject blocked = b.authorize(
                                "r-blocked-3", Bodies.valid(blockedPan).encode())
                        .json();
                assertEquals(blockedToken, blocked.getJsonObject("card").getString("token"));
                assertEquals("DECLINED", blocked.getString("status"), blocked.encode());
                assertEquals(
                        "blocklisted: card fingerprint",
                        reason(blocked, "BLOCKLIST").getString("message"));
                String blockedFingerprintB =
                        tokenizer(B).tokenize(blockedPan, "12/30", "any").fingerprint();
                JsonArray listed = b.admin(HttpMethod.GET, "/admin/risk-rules", null)
                        .json()
                        .getJsonObject("blocklist")
                        .getJsonArray("cardFingerprints");
                assertTrue(listed.contains(blockedFingerprintB), listed.encode());
                assertTrue(listed.contains(UNTRANSLATABLE), "kept: no stored card has it");
                assertFalse(listed.contains(blockedFingerprintA), listed.encode());
                assertEquals(
                        1,
                        db.count(
                                "SELECT count(*) FROM admin_audit WHERE actor = $1 AND action = 'risk_rules.put'",
                                CardHmacRotation.ACTOR));

                // An old token still pays; the PAN of that card, single or in a batch, gets that token back.
                H2Client.Response byToken = b.authorize(
                        "r-token-2",
                        Bodies.valid()
                                .put("card", new JsonObject().put("token", tokenPanToken))
                                .encode());
                assertEquals(tokenPanToken, token(byToken));
                assertEquals("APPROVED", byToken.json().getString("status"), byToken.body());
                assertEquals(
                        tokenPanToken,
                        token(b.authorize("r-token-3", Bodies.valid(tokenPan).encode())));
                String newPan = Bodies.freshPan();
                H2Client.Response batch = b.client()
                        .send(
                                HttpMethod.POST,
                                "/v1/authorizations/batch",
                                TestProcessor.headers(TestProcessor.API_KEY, null),
                                new JsonObject()
                                        .put(
                                                "items",
                                                new JsonArray()
                                                        .add(Bodies.valid(tokenPan)
                                                                .put("idempotencyKey", "r-batch-1"))
                                                        .add(Bodies.valid(newPan)
                                                                .put("idempotencyKey", "r-batch-2")))
                                        .encode());
                assertEquals(200, batch.status(), batch.body());
                JsonArray results = batch.json().getJsonArray("results");
                assertEquals(
                        tokenPanToken,
                        results.getJsonObject(0).getJsonObject("card").getString("token"));

                // A new card is derived under B, and needs no alias.
                CardOnFile underB = tokenizer(B).tokenize(newPan, "12/30", TestProcessor.MERCHANT);
                assertEquals(
                        underB.token(),
                        results.getJsonObject(1).getJsonObject("card").getString("token"));
                assertNotEquals(
                        tokenizer(A)
                                .tokenize(newPan, "12/30", TestProcessor.MERCHANT)
                                .token(),
                        underB.token());
                String otherPan = Bodies.freshPan();
                assertEquals(
                        tokenizer(B)
                                .tokenize(otherPan, "12/30", TestProcessor.MERCHANT)
                                .token(),
                        token(b.authorize("r-new", Bodies.valid(otherPan).encode())));

                // Every card is under generation 2 with its fingerprint under B; old cards have their alias.
                assertEquals(0, db.count("SELECT count(*) FROM cards WHERE hmac_epoch <> 2"));
                assertEquals(cardsBefore, db.count("SELECT count(*) FROM cards WHERE alias IS NOT NULL"));
                Row velocityCard = db.query("SELECT fingerprint, alias FROM cards WHERE token = $1", velocityToken)
                        .iterator()
                        .next();
                CardOnFile velocityUnderB = tokenizer(B).tokenize(velocityPan, "12/30", TestProcessor.MERCHANT);
                assertEquals(velocityUnderB.fingerprint(), velocityCard.getString(0));
                assertEquals(velocityUnderB.token(), velocityCard.getString(1));
                assertNull(db.query("SELECT alias FROM cards WHERE token = $1", underB.token())
                        .iterator()
                        .next()
                        .getString(0));

                // Payments keep the fingerprint of their time (sealed), and every seal verifies.
                for (Map.Entry<String, String> p : payments.entrySet()) {
                    assertEquals(
                            p.getValue(),
                            db.query("SELECT card_fingerprint FROM payments WHERE id = $1", p.getKey())
                                    .iterator()
                                    .next()
                                    .getString(0));
                }
                H2Client.Response verify = b.admin(HttpMethod.GET, "/admin/audit/verify", null);
                assertEquals(200, verify.status(), verify.body());
                assertTrue(verify.json().getBoolean("intact"), verify.body());

                JsonObject hmac = b.admin(HttpMethod.GET, "/admin/cards/keys", null)
                        .json()
                        .getJsonObject("hmac");
                assertEquals(2, hmac.getInteger("epoch"), hmac.encode());
                assertEquals(cardsBefore, hmac.getLong("cardsRewritten"));
                assertTrue(hmac.getString("rotatedAt") != null, hmac.encode());
                assertEquals(
                        1,
                        db.count(
                                "SELECT count(*) FROM admin_audit WHERE actor = $1 AND action = 'cards.hmac_rotated'",
                                CardHmacRotation.ACTOR));
            }

            // Complete: with the previous key still set it starts (and warns); without it too; A is now refused.
            try (TestProcessor again = new TestProcessor(db.settings(), keys(B, A))) {
                assertEquals(
                        velocityToken,
                        token(again.authorize("r-v-7", Bodies.valid(velocityPan).encode())));
            }
            new TestProcessor(db.settings(), keys(B, null)).close();
            IllegalStateException old = refused(db, keys(A, null));
            assertTrue(old.getMessage().contains("CARD_HMAC_KEY"), old.getMessage());
            assertEquals(1, db.count("SELECT count(*) FROM card_hmac_rotations"), "one rotation, done once");
        }
    }

    @Test
    void aRotationStoppedAfterSomePagesResumesAtTheNextStart() {
        try (TestDatabase db = new TestDatabase()) {
            List<String> pans = new ArrayList<>();
            List<String> tokens = new ArrayList<>();
            try (TestProcessor a = new TestProcessor(db.settings(), keys(A, null))) {
                for (int i = 0; i < 12; i++) {
                    pans.add(Bodies.freshPan());
                    tokens.add(token(
                            a.authorize("i-" + i, Bodies.valid(pans.get(i)).encode())));
                }
            }
            CardHmacRotation.Outcome first =
                    Await.result(rotation(db).run(5, 1)); // the first page only, as a crash would leave it
            assertEquals(CardHmacRotation.State.STARTED, first.state());
            assertFalse(first.finished());
            assertEquals(5, first.rewrittenNow());
            assertEquals(5, db.count("SELECT count(*) FROM cards WHERE hmac_epoch = 2"));
            assertEquals(1, db.count("SELECT count(*) FROM card_hmac_rotations WHERE finished_at IS NULL"));
            // From the first step on, A is refused: a process on it would write old-key cards into a rotating table.
            assertTrue(refused(db, keys(A, null)).getMessage().contains("CARD_HMAC_KEY"));
            // One that started just before and wrote a card meanwhile (as the writers do: the epoch is the default, 2).
            String latePan = Bodies.freshPan();
            CardOnFile late = tokenizer(A).tokenize(latePan, "12/30", TestProcessor.MERCHANT);
            db.query(
                    "INSERT INTO cards (token, merchant_id, fingerprint, masked_pan, bin, expiry, pan_ciphertext,"
                            + " key_id) VALUES ($1, $2, $3, $4, $5, '12/30', $6, 'k1')",
                    late.token(),
                    TestProcessor.MERCHANT,
                    late.fingerprint(),
                    late.masked(),
                    late.bin(),
                    Buffer.buffer(late.panCiphertext()));
            assertEquals(1, db.count("SELECT count(*) FROM cards WHERE token = $1 AND hmac_epoch = 2", late.token()));

            // The next start with B resumes and finishes it before serving, even without the previous key.
            try (TestProcessor b = new TestProcessor(db.settings(), keys(B, null))) {
                assertEquals(0, db.count("SELECT count(*) FROM cards WHERE hmac_epoch <> 2"));
                assertEquals(13, db.count("SELECT cards_rewritten FROM card_hmac_rotations WHERE epoch = 2"));
                assertEquals(
                        tokenizer(B).tokenize(latePan, "12/30", "any").fingerprint(),
                        db.query("SELECT fingerprint FROM cards WHERE token = $1", late.token())
                                .iterator()
                                .next()
                                .getString(0),
                        "the old-key process's card is rewritten too");
                assertEquals(
                        late.token(),
                        token(b.authorize("j-late", Bodies.valid(latePan).encode())));
                assertEquals(1, db.count("SELECT count(*) FROM card_hmac_rotations WHERE finished_at IS NOT NULL"));
                for (int i = 0; i < pans.size(); i++)
                    assertEquals(
                            tokens.get(i),
                            token(b.authorize(
                                    "j-" + i, Bodies.valid(pans.get(i)).encode())));
            }
            CardHmacRotation.Outcome again = Await.result(rotation(db).run());
            assertEquals(CardHmacRotation.State.COMPLETE, again.state());
            assertEquals(0, again.rewrittenNow());
        }
    }

    /**
     * How fast a rotation rewrites cards ({@code -Drotation.cards=N}, 3,000 by default), inserted directly as the
     * writers would store them: the README quotes a run of this.
     */
    @Test
    void rotationSpeed() {
        int n = Integer.getInteger("rotation.cards", 3_000);
        try (TestDatabase db = new TestDatabase()) {
            new TestProcessor(db.settings(), keys(A, null)).close(); // schema, merchant, key checks
            CardTokenizer a = tokenizer(A);
            for (int from = 0; from < n; from += 5_000) {
                int size = Math.min(5_000, n - from);
                String[] token = new String[size], fp = new String[size], masked = new String[size];
                Buffer[] ciphertext = new Buffer[size];
                for (int i = 0; i < size; i++) {
                    CardOnFile c = a.tokenize(Bodies.freshPan(), "12/30", TestProcessor.MERCHANT);
                    token[i] = c.token();
                    fp[i] = c.fingerprint();
                    masked[i] = c.masked();
                    ciphertext[i] = Buffer.buffer(c.panCiphertext());
                }
                Await.result(db.pool()
                        .preparedQuery("INSERT INTO cards (token, merchant_id, fingerprint, masked_pan, bin, expiry,"
                                + " pan_ciphertext, key_id) SELECT t, $5, f, m, left(m, 6), '12/30', c, 'k1'"
                                + " FROM unnest($1::text[], $2::text[], $3::text[], $4::bytea[]) AS u(t, f, m, c)")
                        .execute(Tuple.of(token, fp, masked, ciphertext, TestProcessor.MERCHANT)));
            }
            CardHmacRotation.Outcome o = Await.result(rotation(db).run());
            assertTrue(o.finished());
            assertEquals(n, o.rewrittenNow());
            System.out.println("CARD_HMAC_KEY rotation: " + n + " cards in " + o.millis() + " ms, " + o.cardsPerSecond()
                    + " cards/s (pages of " + CardHmacRotation.DEFAULT_PAGE_SIZE + ")");
            // Spot check: a card's alias is its token under B.
            Row r = db.query("SELECT alias, fingerprint, pan_ciphertext FROM cards LIMIT 1")
                    .iterator()
                    .next();
            CardTokenizer.Derived underB =
                    tokenizer(B).reDerive(r.getBuffer(2).getBytes(), "k1", TestProcessor.MERCHANT);
            assertEquals(underB.token(), r.getString(0));
            assertEquals(underB.fingerprint(), r.getString(1));
        }
    }

    private static CardHmacRotation rotation(TestDatabase db) {
        AdminAudit audit = new AdminAudit(db.pool(), new AuditKey(AUDIT));
        return new CardHmacRotation(
                db.pool(),
                tokenizer(B),
                CardKeys.hmacCheckValue(B),
                CardKeys.hmacCheckValue(A),
                new RiskRuleStore(db.pool(), audit),
                audit,
                null);
    }
}
