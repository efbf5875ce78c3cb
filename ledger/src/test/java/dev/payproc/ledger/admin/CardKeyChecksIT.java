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
}
