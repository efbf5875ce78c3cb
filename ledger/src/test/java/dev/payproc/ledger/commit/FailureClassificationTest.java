package dev.payproc.ledger.commit;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.pgclient.PgException;
import org.junit.jupiter.api.Test;

/** A database that is going away is "unavailable" (503, retry), never "this payment is bad" (500). */
class FailureClassificationTest {
    private static PgException pg(String sqlState) {
        return new PgException("message", "ERROR", sqlState, null);
    }

    @Test
    void onlyARefusalOfTheRowsThemselvesBlamesTheItems() {
        assertTrue(LedgerWriter.refusedItems(pg("23514")), "check_violation: the rows are at fault");
        assertTrue(LedgerWriter.refusedItems(pg("22003")), "numeric out of range");
        assertFalse(LedgerWriter.refusedItems(pg("57P01")), "admin shutdown");
        assertFalse(LedgerWriter.refusedItems(pg("57P03")), "the database system is shutting down");
        assertFalse(LedgerWriter.refusedItems(pg("57014")), "statement timeout: nothing committed, retry");
        assertFalse(LedgerWriter.refusedItems(pg("08006")), "connection failure");
        assertFalse(LedgerWriter.refusedItems(pg("53300")), "too many connections");
        assertFalse(LedgerWriter.refusedItems(new IllegalStateException("closed")), "not a server answer at all");
    }
}
