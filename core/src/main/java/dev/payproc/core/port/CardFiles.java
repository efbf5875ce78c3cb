package dev.payproc.core.port;

import dev.payproc.core.model.CardOnFile;
import io.vertx.core.Future;

/** Cards kept for a merchant, found by their token. */
public interface CardFiles {
    /** The card a merchant's token stands for, or null when the token is unknown or another merchant's. */
    Future<CardOnFile> find(String token, String merchantId);
}
