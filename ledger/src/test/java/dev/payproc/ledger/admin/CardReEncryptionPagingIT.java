package dev.payproc.ledger.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.payproc.core.card.CardKeys;
import dev.payproc.core.card.CardTokenizer;
import dev.payproc.core.card.Sha256;
import dev.payproc.core.model.CardOnFile;
import dev.payproc.core.port.CardKeyRotation.Progress;
import dev.payproc.ledger.schema.Migrations;
import dev.payproc.testkit.Await;
import dev.payproc.testkit.TestDatabase;
import io.vertx.core.buffer.Buffer;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Re-encryption walks a retired key id's cards in (created_at, token) pages: cards that share a creation time (one
 * batch's cards do) are split over pages by their token, none is skipped or read twice.
 */
class CardReEncryptionPagingIT {
    private static final byte[] HMAC = Sha256.of("paging hmac");
    private static final byte[] OLD = Sha256.of("paging k0");
    private static final byte[] NEW = Sha256.of("paging k1");

    @Test
    void smallPagesOverCardsOfOneMillisecondReEncryptEachCardOnce() {
        try (TestDatabase db = new TestDatabase()) {
            Await.result(Migrations.apply(db.pool()));
            db.query("INSERT INTO merchants (id, name) VALUES ('m', 'm')");
            CardTokenizer before = new CardTokenizer(new CardKeys(HMAC, "k0", OLD));
            for (int i = 0; i < 11; i++) {
                CardOnFile card = before.tokenize(Long.toString(4_000_000_000_000_000L + i * 7_919L), "12/30", "m");
                // Seven cards of one instant and four of the next: the pages must break inside the first group.
                String at = i < 7 ? "2026-12-01T10:00:00Z" : "2026-12-01T10:00:00.001Z";
                db.query(
                        "INSERT INTO cards (token, merchant_id, fingerprint, masked_pan, expiry, pan_ciphertext, key_id,"
                                + " created_at) VALUES ($1, 'm', $2, $3, '12/30', $4, 'k0', $5)",
                        card.token(),
                        card.fingerprint(),
                        card.masked(),
                        Buffer.buffer(card.panCiphertext()),
                        java.time.OffsetDateTime.parse(at));
            }
            CardKeys rotated = new CardKeys(HMAC, "k1", NEW, Map.of("k0", OLD));
            Progress progress = Await.result(new CardReEncryption(db.pool(), rotated).reEncrypt(3, 100));
            assertEquals(11, progress.reEncrypted(), "every card re-encrypted once");
            assertEquals(Map.of("k0", 0L), progress.remainingByKeyId());
            assertEquals(11, db.count("SELECT count(*) FROM cards WHERE key_id = 'k1'"));
            CardTokenizer after = new CardTokenizer(rotated);
            for (var r : db.query("SELECT pan_ciphertext, key_id FROM cards")) {
                after.reEncrypt(r.getBuffer(0).getBytes(), r.getString(1)); // decrypts under k1, or throws
            }
        }
    }
}
