package dev.payproc.gateway;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ProcessorConfigTest {
    @Test
    void readsTheEnvironmentWithDefaults() {
        ProcessorConfig c = ProcessorConfig.fromEnv(Map.of("PORT", "9090", "PGDATABASE", "ledger", "MAX_IN_FLIGHT", "64"));
        assertEquals(9090, c.port());
        assertEquals("ledger", c.database().database());
        assertEquals("127.0.0.1", c.database().host());
        assertEquals(64, c.maxInFlight());
        assertEquals(null, c.tlsPort());
        assertEquals(16 * 1024, c.bodyLimitBytes());
        assertEquals(1, c.risk().version());
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class, () -> ProcessorConfig.fromEnv(Map.of("PORT", "eighty")));
        assertTrue(bad.getMessage().contains("PORT"), bad.getMessage());
    }

    @Test
    void loadsARuleSetDocumentAndRefusesABadOne(@TempDir Path dir) throws Exception {
        Path good = Files.writeString(dir.resolve("rules.json"),
                "{\"version\":7,\"merchants\":{\"m-9\":{\"velocity\":{\"merchant\":{\"limit\":100000,\"windowSeconds\":60}}}}}");
        ProcessorConfig c = ProcessorConfig.fromEnv(Map.of("RISK_RULES_FILE", good.toString()));
        assertEquals(7, c.risk().version());
        assertEquals(100_000, c.risk().thresholdsFor("m-9").velocity().merchant().limit());

        Path bad = Files.writeString(dir.resolve("bad.json"), "{\"version\":8,\"velocity\":{\"card\":{\"limit\":0,\"windowSeconds\":60}}}");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ProcessorConfig.fromEnv(Map.of("RISK_RULES_FILE", bad.toString())));
        assertTrue(e.getMessage().contains("velocity.card.limit"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ProcessorConfig.fromEnv(Map.of("RISK_RULES_FILE", dir.resolve("none.json").toString())));
    }

    @Test
    void readsRotatedCardKeys() {
        String k = java.util.Base64.getEncoder().encodeToString(new byte[32]);
        String old = java.util.Base64.getEncoder().encodeToString(new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16,
                17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32});
        ProcessorConfig c = ProcessorConfig.fromEnv(Map.of("CARD_HMAC_KEY", k, "CARD_ENCRYPTION_KEY", k, "CARD_KEY_ID", "k2",
                "CARD_RETIRED_KEYS", "k1:" + old));
        assertEquals("k2", c.cardKeys().encryptionKeyId());
        assertEquals(java.util.Set.of("k1"), c.cardKeys().retiredKeys().keySet());
        assertThrows(IllegalArgumentException.class, () -> ProcessorConfig.fromEnv(Map.of("CARD_HMAC_KEY", k,
                "CARD_ENCRYPTION_KEY", k, "CARD_RETIRED_KEYS", "no-colon")));
    }

    @Test
    void neverPrintsSecrets() {
        ProcessorConfig c = ProcessorConfig.fromEnv(Map.of("ADMIN_API_KEY", "very-secret-admin", "PGPASSWORD", "pg-secret",
                "DEMO_API_KEY", "sk_secret_demo"));
        assertFalse(c.toString().contains("very-secret-admin"));
        assertFalse(c.toString().contains("pg-secret"));
        assertFalse(c.toString().contains("sk_secret_demo"));
    }
}
