package dev.payproc.app.it;

import dev.payproc.testkit.TestDatabase;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;

/** One fresh database and one running processor for a test class; {@link #env()} adds settings. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class ProcessorIT {
    protected TestDatabase db;
    protected TestProcessor app;

    /** Environment the class's processor starts with, beyond the defaults. */
    protected Map<String, String> env() {
        return Map.of();
    }

    @BeforeAll
    void startProcessor() {
        db = new TestDatabase();
        app = new TestProcessor(db.settings(), env());
    }

    @AfterAll
    void stopProcessor() {
        if (app != null) app.close();
        if (db != null) db.close();
    }
}
