package dev.payproc.app;

import dev.payproc.core.audit.AuditKey;
import dev.payproc.core.card.CardKeys;
import dev.payproc.ledger.admin.CardHmacRotation;
import dev.payproc.ledger.admin.CardKeyChecks;
import dev.payproc.ledger.admin.KeyChecks;
import dev.payproc.webhooks.WebhookStore;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import java.util.HashMap;
import java.util.Map;

/**
 * The start-up checks that the keys given are the ones the database's data was made with (the first start records
 * their check values; see the README): the card encryption key under each id, {@code CARD_HMAC_KEY},
 * {@code AUDIT_HMAC_KEY}, and that every key id stored cards and webhook secrets use has a key. A refusal names the
 * setting or the id, never a key.
 */
final class StartupKeyChecks {
    private StartupKeyChecks() {}

    /**
     * With {@code previousHmacCheck} (from {@code CARD_PREVIOUS_HMAC_KEY}) the stored check value of
     * {@code CARD_HMAC_KEY} may be the previous key's: the rotation (CardHmacRotation, run later in the start) then
     * replaces it; a previous key that is not the stored one either is refused, naming the setting.
     */
    static Future<Void> verify(Pool pool, CardKeys cards, byte[] previousHmacCheck, AuditKey audit) {
        return CardKeyChecks.verify(pool, cards.checkValues())
                .compose(v -> CardHmacRotation.rotationPending(pool, cards.hmacCheckValue(), previousHmacCheck))
                .compose(rotating -> {
                    Map<String, KeyChecks.Check> checks = new HashMap<>();
                    if (!rotating) {
                        checks.put(
                                "CARD_HMAC_KEY",
                                new KeyChecks.Check(
                                        cards.hmacCheckValue(),
                                        "the stored cards' tokens and fingerprints were derived with another key, so"
                                                + " their cards would get new tokens and fingerprints (card history"
                                                + " and tokens on file split); to rotate the key, give the old one as"
                                                + " CARD_PREVIOUS_HMAC_KEY"));
                    }
                    checks.put(
                            "AUDIT_HMAC_KEY",
                            new KeyChecks.Check(
                                    audit.checkValue(),
                                    "the seal chains and the admin audit were keyed with another key, so every"
                                            + " seal would look tampered with"));
                    return KeyChecks.verify(pool, checks);
                })
                .compose(v -> CardKeyChecks.verifyStoredKeyIds(pool, cards.keyIds()))
                .compose(v -> WebhookStore.verifyKeyIds(pool, cards.keyIds()));
    }
}
