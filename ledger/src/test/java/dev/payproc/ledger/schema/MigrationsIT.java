package dev.payproc.ledger.schema;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.payproc.testkit.Await;
import dev.payproc.testkit.TestDatabase;
import org.junit.jupiter.api.Test;

/** Migrations stop at the version asked for and carry on from there later, each applied once. */
class MigrationsIT {
    private static final String SEAL_VERSION_COLUMN =
            "SELECT count(*) FROM information_schema.columns WHERE table_name = 'event_seals' AND column_name = 'version'";

    @Test
    void appliesThroughAVersionAndTheRestLater() {
        try (TestDatabase db = new TestDatabase()) {
            assertEquals(11, Await.result(Migrations.applyThrough(db.pool(), 11)));
            assertEquals(11L, db.count("SELECT max(version) FROM schema_migrations"));
            assertEquals(0L, db.count(SEAL_VERSION_COLUMN), "V12 not applied yet");

            int rest = Migrations.FILES.size() - 11;
            assertEquals(rest, Await.result(Migrations.apply(db.pool())));
            assertEquals((long) Migrations.FILES.size(), db.count("SELECT count(*) FROM schema_migrations"));
            assertEquals(1L, db.count(SEAL_VERSION_COLUMN));
            assertEquals(0, Await.result(Migrations.apply(db.pool())), "nothing applied twice");
        }
    }
}
