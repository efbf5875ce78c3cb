package dev.payproc.core.port;

import dev.payproc.core.card.AliasPrefixes;
import dev.payproc.core.model.CardOnFile;
import io.vertx.core.Future;

/**
 * Cards made under an earlier {@code CARD_HMAC_KEY}, found by their alias (the token the current key derives for
 * them), so that a card presented again by PAN after a rotation keeps the token it was first given.
 */
public interface CardAliases {
    /** The prefixes of every alias, loaded at start: a token not in it is no alias and needs no read. */
    AliasPrefixes prefixes();

    /**
     * The card whose alias is {@code alias} for {@code merchantId}, with its first token and its current fingerprint
     * (without the PAN), or null when no card has that alias.
     */
    Future<CardOnFile> findByAlias(String alias, String merchantId);
}
