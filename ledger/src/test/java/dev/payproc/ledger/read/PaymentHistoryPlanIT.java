package dev.payproc.ledger.read;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.payproc.ledger.schema.Migrations;
import dev.payproc.testkit.Await;
import dev.payproc.testkit.TestDatabase;
import java.time.OffsetDateTime;
import org.junit.jupiter.api.Test;

/** The risk-state rebuild at start and backtests read a time range of payments: through an index, not the table. */
class PaymentHistoryPlanIT {
    @Test
    void timeRangesOfPaymentsAreReadThroughTheCreatedIndex() {
        try (TestDatabase db = new TestDatabase()) {
            Await.result(Migrations.apply(db.pool()));
            OffsetDateTime now = OffsetDateTime.now();
            String since = db.planWithoutSeqScans(PaymentHistory.SINCE, now.minusDays(1));
            assertTrue(since.contains("payments_created") && !since.contains("Seq Scan"), since);
            String range = db.planWithoutSeqScans(PaymentHistory.RANGE, now.minusDays(1), now, 500_000);
            assertTrue(range.contains("payments_created") && !range.contains("Seq Scan"), range);
        }
    }
}
