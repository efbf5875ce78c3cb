package dev.payproc.ledger.read;

import dev.payproc.core.card.AliasPrefixes;
import dev.payproc.core.model.CardOnFile;
import dev.payproc.core.port.CardAliases;
import dev.payproc.core.port.CardFiles;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;

/**
 * Resolves a merchant's card token, or the alias a rotated {@code CARD_HMAC_KEY} derives for it, back to the card it
 * stands for (without the PAN).
 */
public final class CardVault implements CardFiles, CardAliases {
    private static final int ALIAS_FETCH = 10_000;
    private final Pool pool;
    private volatile AliasPrefixes prefixes = AliasPrefixes.NONE;

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

    /**
     * Reads every alias (through a cursor, so a million of them never sit in memory as strings) into the prefix set
     * {@link #prefixes} answers from then on; completes with their number. Run at start, after any rotation of
     * {@code CARD_HMAC_KEY} finished and before the gateway serves: aliases are only written by a rotation.
     */
    public Future<Integer> loadAliases() {
        AliasPrefixes.Builder builder = new AliasPrefixes.Builder();
        return pool.withTransaction(conn -> conn.prepare("SELECT alias FROM cards WHERE alias IS NOT NULL")
                        .compose(ps -> {
                            io.vertx.sqlclient.Cursor cursor = ps.cursor();
                            return readAliases(cursor, builder, 0).eventually(cursor::close);
                        }))
                .map(n -> {
                    prefixes = builder.build();
                    return n;
                });
    }

    private static Future<Integer> readAliases(io.vertx.sqlclient.Cursor cursor, AliasPrefixes.Builder b, int seen) {
        return cursor.read(ALIAS_FETCH).compose(rows -> {
            int n = seen;
            for (Row r : rows) {
                b.add(r.getString(0));
                n++;
            }
            return cursor.hasMore() ? readAliases(cursor, b, n) : Future.succeededFuture(n);
        });
    }

    @Override
    public AliasPrefixes prefixes() {
        return prefixes;
    }

    @Override
    public Future<CardOnFile> findByAlias(String alias, String merchantId) {
        return pool.preparedQuery("SELECT token, fingerprint, masked_pan, coalesce(bin, left(masked_pan, 6)), expiry"
                        + " FROM cards WHERE alias = $1 AND merchant_id = $2")
                .execute(Tuple.of(alias, merchantId))
                .map(rows -> {
                    if (rows.size() == 0) return null;
                    Row r = rows.iterator().next();
                    return new CardOnFile(
                            r.getString(0), r.getString(1), r.getString(2), r.getString(3), r.getString(4), null, null);
                });
    }
}
