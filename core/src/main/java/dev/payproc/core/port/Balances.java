package dev.payproc.core.port;

import io.vertx.core.Future;
import java.util.List;

/** A merchant's money, from the postings. */
public interface Balances {
    /** A merchant's money in one currency: owed to it and not yet settled, and already settled. */
    record Balance(String currency, long payable, long settled) {}

    Future<List<Balance>> balances(String merchantId);
}
