package dev.payproc.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.Map;
import org.junit.jupiter.api.Test;

class DatabaseSettingsTest {
    @Test
    void readsTheLibpqVariablesWithDefaults() {
        DatabaseSettings s = DatabaseSettings.fromEnv(Map.of("PGPORT", "6543", "PGDATABASE", "ledger"));
        assertEquals(new DatabaseSettings("127.0.0.1", 6543, "ledger", "postgres", "postgres"), s);
        assertEquals("other", s.withDatabase("other").database());
    }

    @Test
    void thePasswordNeverAppearsInTheSettingsDescription() {
        DatabaseSettings settings = DatabaseSettings.fromEnv(Map.of("PGPASSWORD", "secret"));
        assertFalse(settings.toString().contains("secret"), settings.toString());
    }
}
