package dev.payproc.gateway.http;

import dev.payproc.core.card.AliasPrefixes;
import dev.payproc.core.card.CardTokenizer;
import dev.payproc.core.model.CardOnFile;
import dev.payproc.core.port.CardAliases;
import io.vertx.core.Future;

/**
 * A PAN presented with an authorization, as the card it is: tokenized under the current {@code CARD_HMAC_KEY}, and
 * when that token is the alias of a card stored before the key was rotated, that card with the token it was first
 * given (README, "Card keys"), so a card keeps one token across rotations. Shared by the single and the batch
 * authorization handlers.
 *
 * <p>The hot path pays a database read only for a token whose prefix is in the {@link AliasPrefixes} loaded at start
 * (the cards stored before the last rotation, or a prefix collision); a new card, or any card when the key was never
 * rotated, costs one length check or one binary search in memory.
 */
public final class PanCards {
    private final CardTokenizer tokenizer;
    private final CardAliases aliases;
    private final AliasPrefixes prefixes;

    public PanCards(CardTokenizer tokenizer, CardAliases aliases) {
        this.tokenizer = tokenizer;
        this.aliases = aliases;
        this.prefixes = aliases.prefixes(); // loaded before any gateway is deployed, fixed from then on
    }

    /** The PAN tokenized under the current key; {@link #resolve} tells whether it is an earlier card's alias. */
    public CardOnFile tokenize(String pan, String expiry, String merchantId) {
        return tokenizer.tokenize(pan, expiry, merchantId);
    }

    /**
     * Null when {@code card} (from {@link #tokenize}) is certainly no alias: use it as it is, no read. Otherwise the
     * card to use: the stored card's first token and current fingerprint with everything else presented now (the
     * expiry sent, the fresh ciphertext), or {@code card} itself when no stored card has that alias.
     */
    public Future<CardOnFile> resolve(CardOnFile card, String merchantId) {
        if (!prefixes.mayContain(card.token())) return null;
        return aliases.findByAlias(card.token(), merchantId)
                .map(stored -> stored == null
                        ? card
                        : new CardOnFile(
                                stored.token(),
                                stored.fingerprint(),
                                card.masked(),
                                card.bin(),
                                card.expiry(),
                                card.panCiphertext(),
                                card.keyId()));
    }
}
