package dev.payproc.app.jobs;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.payproc.ledger.schema.Migrations;
import dev.payproc.testkit.Await;
import dev.payproc.testkit.TestDatabase;
import org.junit.jupiter.api.Test;

/** The sweeper runs every minute for the life of the ledger: it must read an index, never every payment. */
class ExpirySweeperPlanIT {
    @Test
    void dueAuthorizationsAreFoundThroughTheAwaitingCaptureIndex() {
        try (TestDatabase db = new TestDatabase()) {
            Await.result(Migrations.apply(db.pool()));
            String plan = db.planWithoutSeqScans(ExpirySweeper.DUE, 604_800L, ExpirySweeper.FROM_THE_OLDEST, "");
            assertTrue(plan.contains("payments_awaiting_capture") && !plan.contains("Seq Scan"), plan);
        }
    }
}
