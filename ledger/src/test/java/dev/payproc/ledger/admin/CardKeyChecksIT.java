package dev.payproc.ledger.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.payproc.core.card.CardKeys;
import dev.payproc.ledger.schema.Migrations;
import dev.payproc.testkit.Await;
import dev.payproc.testkit.TestDatabase;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A key id names one key for good: a different key under an id already used is refused at start. */
class CardKeyChecksIT {
    private static byte[] key(int seed) {
        byte[] k = new byte[32];
        Arrays.fill(k, (byte) seed);
        return k;
    }

    @Test
    void aDifferentKeyUnderAKnownIdIsRefusedAndANewIdIsRecorded() {
        try (TestDatabase db = new TestDatabase()) {
            Await.result(Migrations.apply(db.pool()));
            CardKeys first = new CardKeys(key(1), "k1", key(2));
            Await.result(CardKeyChecks.verify(db.pool(), first.checkValues()));
            Await.result(CardKeyChecks.verify(db.pool(), first.checkValues())); // a restart with the same key
            assertEquals(1, db.count("SELECT count(*) FROM card_key_checks WHERE key_id = 'k1'"));

            CardKeys reused = new CardKeys(key(1), "k1", key(3));
            IllegalStateException e = assertThrows(
                    IllegalStateException.class,
                    () -> Await.result(CardKeyChecks.verify(db.pool(), reused.checkValues())));
            assertTrue(e.getMessage().contains("key id k1"), e.getMessage());

            CardKeys rotated = new CardKeys(key(1), "k2", key(3), Map.of("k1", key(2)));
            Await.result(CardKeyChecks.verify(db.pool(), rotated.checkValues()));
            assertEquals(2, db.count("SELECT count(*) FROM card_key_checks"));
            CardKeys wrongRetired = new CardKeys(key(1), "k3", key(4), Map.of("k1", key(5)));
            assertThrows(
                    IllegalStateException.class,
                    () -> Await.result(CardKeyChecks.verify(db.pool(), wrongRetired.checkValues())),
                    "a retired key must be the one its id was used with, too");
            assertFalse(
                    String.join("\n", db.dumpAllRows())
                            .contains(java.util.HexFormat.of().formatHex(key(2))),
                    "the key is not stored");
        }
    }

    @Test
    void theHmacAndAuditKeyChecksNameTheirSettingAndStoredCardsNeedAKey() {
        try (TestDatabase db = new TestDatabase()) {
            Await.result(Migrations.apply(db.pool()));
            Map<String, KeyChecks.Check> first = Map.of(
                    "CARD_HMAC_KEY", new KeyChecks.Check(new CardKeys(key(1), "k1", key(2)).hmacCheckValue(), "x"),
                    "AUDIT_HMAC_KEY", new KeyChecks.Check(key(7), "y"));
            Await.result(KeyChecks.verify(db.pool(), first));
            Await.result(KeyChecks.verify(db.pool(), first)); // a restart with the same keys
            IllegalStateException e = assertThrows(
                    IllegalStateException.class,
                    () -> Await.result(KeyChecks.verify(
                            db.pool(),
                            Map.of(
                                    "CARD_HMAC_KEY",
                                    new KeyChecks.Check(new CardKeys(key(9), "k1", key(2)).hmacCheckValue(), "x")))));
            assertTrue(e.getMessage().contains("CARD_HMAC_KEY is not the key"), e.getMessage());
            assertFalse(
                    java.util.Arrays.equals(
                            new CardKeys(key(1), "k1", key(2)).hmacCheckValue(),
                            new CardKeys(key(2), "k1", key(1)).checkValues().get("k1")),
                    "the HMAC key's check value is over a text of its own");

            Await.result(CardKeyChecks.verifyStoredKeyIds(db.pool(), java.util.Set.of("k1")));
            db.query("INSERT INTO merchants (id, name) VALUES ('m', 'm')");
            for (String id : new String[] {"k1", "k0", "k0", "k9"}) {
                db.query("INSERT INTO cards (token, merchant_id, fingerprint, masked_pan, expiry, pan_ciphertext,"
                        + " key_id) VALUES ('tok_' || gen_random_uuid(), 'm', 'f', '****', '12/30', '\\x00', '"
                        + id + "')");
            }
            Await.result(CardKeyChecks.verifyStoredKeyIds(db.pool(), java.util.Set.of("k0", "k1", "k9")));
            IllegalStateException unknown = assertThrows(
                    IllegalStateException.class,
                    () -> Await.result(CardKeyChecks.verifyStoredKeyIds(db.pool(), java.util.Set.of("k1"))));
            assertTrue(unknown.getMessage().contains("k0 (2 cards), k9 (1 cards)"), unknown.getMessage());
            assertTrue(
                    db.planWithoutSeqScans(CardKeyChecks.STORED_KEY_IDS).contains("cards_key_id_created"),
                    "the ids in use come from the index, not a read of every card");
            assertTrue(
                    db.planWithoutSeqScans(
                                    CardReEncryption.PAGE,
                                    "k0",
                                    CardReEncryption.START.createdAt(),
                                    CardReEncryption.START.token(),
                                    1000)
                            .contains("cards_key_id_created"),
                    "re-encryption pages through the index");
        }
    }
}
