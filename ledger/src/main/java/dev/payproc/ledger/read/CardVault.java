package dev.payproc.ledger.read;

import dev.payproc.core.model.CardOnFile;
import dev.payproc.core.port.CardFiles;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;

/** Resolves a merchant's card token back to the card it stands for (without the PAN). */
public final class CardVault implements CardFiles {
    private final Pool pool;

    public CardVault(Pool pool) {
        this.pool = pool;
    }

    /** The card, or null when the token is unknown or was issued to another merchant. */
    public Future<CardOnFile> find(String token, String merchantId) {
        return pool.preparedQuery(
                        "SELECT fingerprint, masked_pan, coalesce(bin, left(masked_pan, 6)), expiry FROM cards "
                                + "WHERE token = $1 AND merchant_id = $2")
                .execute(Tuple.of(token, merchantId))
                .map(rows -> {
                    if (rows.size() == 0) return null;
                    Row r = rows.iterator().next();
                    return new CardOnFile(
                            token, r.getString(0), r.getString(1), r.getString(2), r.getString(3), null, null);
                });
    }
}
