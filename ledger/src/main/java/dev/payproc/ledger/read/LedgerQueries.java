package dev.payproc.ledger.read;

import dev.payproc.core.port.Balances;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;

/** Balances read from the ledger's postings (payments' and settlement runs'), so they always agree with it. */
public final class LedgerQueries implements Balances {

    private static final String BALANCES = """
            SELECT currency,
                   coalesce(sum(CASE WHEN account = 'merchant_payable' THEN
                                CASE direction WHEN 'C' THEN amount ELSE -amount END END), 0) AS payable,
                   coalesce(sum(CASE WHEN account = 'merchant_settled' THEN
                                CASE direction WHEN 'C' THEN amount ELSE -amount END END), 0) AS settled
            FROM (SELECT currency, account, direction, amount FROM postings WHERE merchant_id = $1
                  UNION ALL
                  SELECT currency, account, direction, amount FROM settlement_postings WHERE merchant_id = $1) AS ledger
            WHERE account IN ('merchant_payable', 'merchant_settled')
            GROUP BY currency ORDER BY currency""";

    private final Pool pool;

    public LedgerQueries(Pool pool) {
        this.pool = pool;
    }

    public Future<List<Balance>> balances(String merchantId) {
        return pool.preparedQuery(BALANCES).execute(Tuple.of(merchantId)).map(rows -> {
            List<Balance> out = new ArrayList<>();
            for (Row r : rows) out.add(new Balance(r.getString(0).trim(), r.getLong(1), r.getLong(2)));
            return out;
        });
    }
}
