package dev.payproc.app;

import dev.payproc.core.audit.AuditKey;
import dev.payproc.core.card.CardKeys;
import dev.payproc.ledger.admin.CardKeyChecks;
import dev.payproc.ledger.admin.KeyChecks;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import java.util.Map;

/**
 * The start-up checks that the keys given are the ones the database's data was made with (the first start records
 * their check values; see the README): the card encryption key under each id, {@code CARD_HMAC_KEY},
 * {@code AUDIT_HMAC_KEY}, and that every key id stored cards use has a key. A refusal names the setting or the id,
 * never a key.
 */
final class StartupKeyChecks {
    private StartupKeyChecks() {}

    static Future<Void> verify(Pool pool, CardKeys cards, AuditKey audit) {
        return CardKeyChecks.verify(pool, cards.checkValues())
                .compose(v -> KeyChecks.verify(
                        pool,
                        Map.of(
                                "CARD_HMAC_KEY",
                                new KeyChecks.Check(
                                        cards.hmacCheckValue(),
                                        "the stored cards' tokens and fingerprints were derived with another key, so"
                                                + " their cards would get new tokens and fingerprints (card history"
                                                + " and tokens on file split)"),
                                "AUDIT_HMAC_KEY",
                                new KeyChecks.Check(
                                        audit.checkValue(),
                                        "the seal chains and the admin audit were keyed with another key, so every"
                                                + " seal would look tampered with"))))
                .compose(v -> CardKeyChecks.verifyStoredKeyIds(pool, cards.keyIds()));
    }
}
