package dev.payproc.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.payproc.webhooks.DeliveryBackoff;
import dev.payproc.webhooks.WebhookSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProcessorConfigTest {
    /** An environment with the development card keys switched on, plus {@code kv} (name, value, ...). */
    private static Map<String, String> dev(String... kv) {
        Map<String, String> env = new HashMap<>();
        env.put("DEV_KEYS", "1");
        for (int i = 0; i < kv.length; i += 2) env.put(kv[i], kv[i + 1]);
        return env;
    }

    @Test
    void refusesToStartWithoutCardKeysUnlessDevelopmentKeysAreAskedFor() {
        IllegalArgumentException none =
                assertThrows(IllegalArgumentException.class, () -> ProcessorConfig.fromEnv(Map.of()));
        assertTrue(none.getMessage().contains("CARD_HMAC_KEY and CARD_ENCRYPTION_KEY are not set"), none.getMessage());
        assertTrue(none.getMessage().contains("DEV_KEYS=1"), none.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ProcessorConfig.fromEnv(Map.of("DEV_KEYS", "yes")));
        assertEquals("dev1", ProcessorConfig.fromEnv(dev()).cardKeys().encryptionKeyId());
    }

    @Test
    void refusesHalfAKeyPairNamingTheMissingOne() {
        String k = Base64.getEncoder().encodeToString(new byte[32]);
        IllegalArgumentException noEnc =
                assertThrows(IllegalArgumentException.class, () -> ProcessorConfig.fromEnv(dev("CARD_HMAC_KEY", k)));
        assertTrue(
                noEnc.getMessage().startsWith("CARD_ENCRYPTION_KEY is not set, but CARD_HMAC_KEY is"),
                noEnc.getMessage());
        IllegalArgumentException noHmac = assertThrows(
                IllegalArgumentException.class, () -> ProcessorConfig.fromEnv(dev("CARD_ENCRYPTION_KEY", k)));
        assertTrue(
                noHmac.getMessage().startsWith("CARD_HMAC_KEY is not set, but CARD_ENCRYPTION_KEY is"),
                noHmac.getMessage());
        IllegalArgumentException garbled = assertThrows(
                IllegalArgumentException.class,
                () -> ProcessorConfig.fromEnv(Map.of("CARD_HMAC_KEY", "not*base64*secret", "CARD_ENCRYPTION_KEY", k)));
        assertEquals("CARD_HMAC_KEY is not valid base64", garbled.getMessage(), "named, and the value not echoed");
        ProcessorConfig real =
                ProcessorConfig.fromEnv(Map.of("CARD_HMAC_KEY", k, "CARD_ENCRYPTION_KEY", k, "AUDIT_HMAC_KEY", k));
        assertEquals("k1", real.cardKeys().encryptionKeyId(), "a full pair needs no development switch");
    }

    @Test
    void refusesToStartWithoutAnAuditKeyUnlessDevelopmentKeysAreAskedFor() {
        String k = Base64.getEncoder().encodeToString(new byte[32]);
        Map<String, String> cards = Map.of("CARD_HMAC_KEY", k, "CARD_ENCRYPTION_KEY", k);
        IllegalArgumentException none =
                assertThrows(IllegalArgumentException.class, () -> ProcessorConfig.fromEnv(cards));
        assertTrue(none.getMessage().startsWith("AUDIT_HMAC_KEY is not set"), none.getMessage());
        assertTrue(none.getMessage().contains("DEV_KEYS=1"), none.getMessage());

        Map<String, String> shortKey = new HashMap<>(cards);
        shortKey.put("AUDIT_HMAC_KEY", Base64.getEncoder().encodeToString(new byte[16]));
        IllegalArgumentException tooShort =
                assertThrows(IllegalArgumentException.class, () -> ProcessorConfig.fromEnv(shortKey));
        assertTrue(tooShort.getMessage().startsWith("AUDIT_HMAC_KEY must be 32 bytes"), tooShort.getMessage());

        Map<String, String> garbled = new HashMap<>(cards);
        garbled.put("AUDIT_HMAC_KEY", "not*base64*secret");
        IllegalArgumentException bad =
                assertThrows(IllegalArgumentException.class, () -> ProcessorConfig.fromEnv(garbled));
        assertEquals("AUDIT_HMAC_KEY is not valid base64", bad.getMessage(), "named, and the value not echoed");

        byte[] given = new byte[32];
        given[0] = 7;
        Map<String, String> real = new HashMap<>(cards);
        real.put("AUDIT_HMAC_KEY", Base64.getEncoder().encodeToString(given));
        assertEquals(
                new dev.payproc.core.audit.AuditKey(given),
                ProcessorConfig.fromEnv(real).auditKey());
        assertFalse(
                ProcessorConfig.fromEnv(dev()).auditKey().equals(new dev.payproc.core.audit.AuditKey(given)),
                "the development key is a key of its own");
    }

    @Test
    void clusterModeIsOffUnlessClusterHostsIsSetAndRefusesNonsenseNamingTheSetting() {
        assertEquals(null, ProcessorConfig.fromEnv(dev()).cluster());
        assertEquals(null, ProcessorConfig.fromEnv(dev("CLUSTER_HOSTS", " ")).cluster());
        var c = ProcessorConfig.fromEnv(dev("CLUSTER_HOSTS", "127.0.0.1:7800, 127.0.0.1:7801", "CLUSTER_PORT", "7801"))
                .cluster();
        assertEquals("127.0.0.1", c.bindHost());
        assertEquals(7801, c.port());
        assertEquals(java.util.List.of("127.0.0.1:7800", "127.0.0.1:7801"), c.hosts());
        assertEquals("127.0.0.1[7800],127.0.0.1[7801]", c.initialHosts());
        assertEquals(2000, c.forwardTimeoutMillis());
        for (String[] bad : new String[][] {
            {"CLUSTER_HOSTS", "127.0.0.1"},
            {"CLUSTER_HOSTS", "127.0.0.1:99999"},
            {"CLUSTER_HOSTS", ",,"},
            {"CLUSTER_HOSTS", "127.0.0.1:7800", "CLUSTER_PORT", "x"},
            {"CLUSTER_HOSTS", "127.0.0.1:7800", "CLUSTER_FORWARD_TIMEOUT_MS", "0"}
        }) {
            IllegalArgumentException e =
                    assertThrows(IllegalArgumentException.class, () -> ProcessorConfig.fromEnv(dev(bad)));
            assertTrue(e.getMessage().contains(bad[bad.length - 2]), e.getMessage());
        }
    }

    @Test
    void theCleartextPortIsLoopbackOnlyBesideTlsUnlessOpenedOnPurpose() {
        assertEquals("0.0.0.0", ProcessorConfig.fromEnv(dev()).plainHost());
        ProcessorConfig tls = ProcessorConfig.fromEnv(dev("TLS_PORT", "8443", "TLS_CLIENT_CA_PATH", "/etc/ca.pem"));
        assertEquals("127.0.0.1", tls.plainHost());
        assertEquals(
                "h2c and HTTP/1.1 on 127.0.0.1:8080 (loopback only); h2 over TLS on 0.0.0.0:8443"
                        + " (mutual TLS: client certificates required)",
                tls.listeners());
        assertEquals(
                "0.0.0.0",
                ProcessorConfig.fromEnv(dev("TLS_PORT", "8443", "PLAIN_HOST", "0.0.0.0"))
                        .plainHost());
    }

    @Test
    void readsTheWebhookSettingsWithDefaultsAndRefusesNonsenseNamingTheSetting() {
        WebhookSettings d = ProcessorConfig.fromEnv(dev()).webhooks();
        assertEquals(new WebhookSettings(16, 10_000, new DeliveryBackoff(1_000, 600_000, 10)), d);
        WebhookSettings set = ProcessorConfig.fromEnv(dev(
                        "WEBHOOK_CONCURRENCY", "4",
                        "WEBHOOK_TIMEOUT_MS", "500",
                        "WEBHOOK_BACKOFF_BASE_MS", "20",
                        "WEBHOOK_BACKOFF_CAP_MS", "100",
                        "WEBHOOK_MAX_ATTEMPTS", "3"))
                .webhooks();
        assertEquals(new WebhookSettings(4, 500, new DeliveryBackoff(20, 100, 3)), set);
        assertEquals(3_000, set.leaseMillis(), "a lease outlasts a delivery's connect and answer timeouts");
        for (String[] bad : new String[][] {
            {"WEBHOOK_CONCURRENCY", "0"},
            {"WEBHOOK_TIMEOUT_MS", "-1"},
            {"WEBHOOK_BACKOFF_BASE_MS", "soon"},
            {"WEBHOOK_MAX_ATTEMPTS", "0"},
            {"WEBHOOK_BACKOFF_CAP_MS", "10"} // below the base
        }) {
            IllegalArgumentException e = assertThrows(
                    IllegalArgumentException.class, () -> ProcessorConfig.fromEnv(dev(bad[0], bad[1])), bad[0]);
            assertTrue(e.getMessage().contains(bad[0]), e.getMessage());
        }
    }

    @Test
    void readsTheEnvironmentWithDefaults() {
        ProcessorConfig c = ProcessorConfig.fromEnv(dev("PORT", "9090", "PGDATABASE", "ledger", "MAX_IN_FLIGHT", "64"));
        assertEquals(9090, c.port());
        assertEquals("ledger", c.database().database());
        assertEquals("127.0.0.1", c.database().host());
        assertEquals(64, c.maxInFlight());
        assertEquals(0.5, c.merchantAdmissionShare());
        assertEquals(100_000, c.riskMaxCardsPerMerchant());
        assertEquals(300, c.auditAnchorLogSeconds());
        assertEquals(
                0, ProcessorConfig.fromEnv(dev("AUDIT_ANCHOR_LOG_SECONDS", "0")).auditAnchorLogSeconds());
        assertThrows(
                IllegalArgumentException.class, () -> ProcessorConfig.fromEnv(dev("AUDIT_ANCHOR_LOG_SECONDS", "-5")));
        assertEquals(
                500,
                ProcessorConfig.fromEnv(dev("RISK_MAX_CARDS_PER_MERCHANT", "500"))
                        .riskMaxCardsPerMerchant());
        assertThrows(
                IllegalArgumentException.class, () -> ProcessorConfig.fromEnv(dev("RISK_MAX_CARDS_PER_MERCHANT", "0")));
        assertEquals(
                0.25,
                ProcessorConfig.fromEnv(dev("MERCHANT_ADMISSION_SHARE", "0.25")).merchantAdmissionShare());
        for (String share : new String[] {"0", "1.5", "half"}) {
            IllegalArgumentException e = assertThrows(
                    IllegalArgumentException.class,
                    () -> ProcessorConfig.fromEnv(dev("MERCHANT_ADMISSION_SHARE", share)));
            assertTrue(e.getMessage().contains("MERCHANT_ADMISSION_SHARE"), e.getMessage());
        }
        assertEquals(null, c.tlsPort());
        assertEquals(16 * 1024, c.bodyLimitBytes());
        assertEquals(1, c.risk().version());
        IllegalArgumentException bad =
                assertThrows(IllegalArgumentException.class, () -> ProcessorConfig.fromEnv(dev("PORT", "eighty")));
        assertTrue(bad.getMessage().contains("PORT"), bad.getMessage());
    }

    @Test
    void loadsARuleSetDocumentAndRefusesABadOne(@TempDir Path dir) throws Exception {
        Path good = Files.writeString(
                dir.resolve("rules.json"),
                "{\"version\":7,\"merchants\":{\"m-9\":{\"velocity\":{\"merchant\":{\"limit\":100000,\"windowSeconds\":60}}}}}");
        ProcessorConfig c = ProcessorConfig.fromEnv(dev("RISK_RULES_FILE", good.toString()));
        assertEquals(7, c.risk().version());
        assertEquals(
                100_000, c.risk().thresholdsFor("m-9").velocity().merchant().limit());

        Path bad = Files.writeString(
                dir.resolve("bad.json"), "{\"version\":8,\"velocity\":{\"card\":{\"limit\":0,\"windowSeconds\":60}}}");
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class, () -> ProcessorConfig.fromEnv(dev("RISK_RULES_FILE", bad.toString())));
        assertTrue(e.getMessage().contains("velocity.card.limit"), e.getMessage());
        assertThrows(
                IllegalArgumentException.class,
                () -> ProcessorConfig.fromEnv(
                        dev("RISK_RULES_FILE", dir.resolve("none.json").toString())));
    }

    @Test
    void readsRotatedCardKeys() {
        String k = java.util.Base64.getEncoder().encodeToString(new byte[32]);
        String old = java.util.Base64.getEncoder().encodeToString(new byte[] {
            1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29,
            30, 31, 32
        });
        ProcessorConfig c = ProcessorConfig.fromEnv(dev(
                "CARD_HMAC_KEY", k, "CARD_ENCRYPTION_KEY", k, "CARD_KEY_ID", "k2", "CARD_RETIRED_KEYS", "k1:" + old));
        assertEquals("k2", c.cardKeys().encryptionKeyId());
        assertEquals(java.util.Set.of("k1"), c.cardKeys().retiredKeys().keySet());
        assertThrows(
                IllegalArgumentException.class,
                () -> ProcessorConfig.fromEnv(
                        dev("CARD_HMAC_KEY", k, "CARD_ENCRYPTION_KEY", k, "CARD_RETIRED_KEYS", "no-colon")));
    }

    @Test
    void refusesAShortOrRepetitiveAdminKeyWithoutEchoingIt() {
        for (String weak : new String[] {"change-me", "x".repeat(31), "a".repeat(64), "abababab".repeat(8)}) {
            IllegalArgumentException e = assertThrows(
                    IllegalArgumentException.class, () -> ProcessorConfig.fromEnv(dev("ADMIN_API_KEY", weak)));
            assertTrue(e.getMessage().startsWith("ADMIN_API_KEY is too"), e.getMessage());
            assertFalse(e.getMessage().contains(weak), "the value is not echoed");
        }
        String strong = "Qm9vdHN0cmFwIGEgcmVhbCBrZXkgaGVyZQ==";
        assertEquals(
                strong, ProcessorConfig.fromEnv(dev("ADMIN_API_KEY", strong)).adminApiKey());
        assertEquals(null, ProcessorConfig.fromEnv(dev()).adminApiKey(), "unset still closes the admin API");
    }

    private static final String ALICE = "alice-Qm9vdHN0cmFwIGEgcmVhbCBrZXkgaGVyZQ";
    private static final String BOB = "bob-Ym9vdHN0cmFwIGFub3RoZXIga2V5IGhlcmU";
    private static final String CAROL = "carol-dGhlIHVubmFtZWQga2V5IG9mIHRoZSB0ZXN0";

    @Test
    void namedAdminKeysSitBesideTheUnnamedOne() {
        String strong = "Qm9vdHN0cmFwIGEgcmVhbCBrZXkgaGVyZQ==";
        ProcessorConfig c = ProcessorConfig.fromEnv(
                dev("ADMIN_API_KEY", strong, "ADMIN_API_KEYS", "sre-alice:" + ALICE + ", ops.bob_2:" + BOB));
        assertEquals(Map.of("admin", strong, "sre-alice", ALICE, "ops.bob_2", BOB), c.adminApiKeys());
        assertEquals(
                Map.of("sre-alice", ALICE),
                ProcessorConfig.fromEnv(dev("ADMIN_API_KEYS", "sre-alice:" + ALICE))
                        .adminApiKeys(),
                "named keys alone open the admin API");
        assertTrue(ProcessorConfig.fromEnv(dev()).adminApiKeys().isEmpty());
        assertFalse(c.toString().contains(ALICE)
                || c.toString().contains(BOB)
                || c.toString().contains(strong));
    }

    @Test
    void refusesADuplicateNameAWeakNamedKeyOrAMalformedListWithoutEchoingAKey() {
        Map<String, String> refused = new java.util.LinkedHashMap<>();
        refused.put("a:" + ALICE + ",a:" + BOB, "ADMIN_API_KEYS entry 2: the name a is used twice");
        refused.put("admin:" + BOB, "ADMIN_API_KEYS entry 1: the name admin is used twice (ADMIN_API_KEY is");
        refused.put("alice:" + ALICE + ",bob:" + ALICE, "ADMIN_API_KEYS entry 2 (bob) has the same key as alice");
        refused.put("bob:" + CAROL, "ADMIN_API_KEYS entry 1 (bob) has the same key as ADMIN_API_KEY");
        refused.put("alice:short-key", "the key of ADMIN_API_KEYS entry 1 (alice) is too short");
        refused.put("alice:" + "ab".repeat(20), "the key of ADMIN_API_KEYS entry 1 (alice) is too easy to guess");
        refused.put("alice:" + ALICE + ",", "ADMIN_API_KEYS entry 2 is not name:key");
        refused.put(ALICE, "ADMIN_API_KEYS entry 1 is not name:key");
        refused.put("Alice:" + BOB, "ADMIN_API_KEYS entry 1: a name is 1-32 characters");
        refused.put(":" + BOB, "ADMIN_API_KEYS entry 1: a name is 1-32 characters");
        refused.put("x".repeat(33) + ":" + BOB, "ADMIN_API_KEYS entry 1: a name is 1-32 characters");
        for (Map.Entry<String, String> bad : refused.entrySet()) {
            IllegalArgumentException e = assertThrows(
                    IllegalArgumentException.class,
                    () -> ProcessorConfig.fromEnv(dev("ADMIN_API_KEY", CAROL, "ADMIN_API_KEYS", bad.getKey())),
                    bad.getKey());
            assertTrue(e.getMessage().startsWith(bad.getValue()), e.getMessage());
            for (String secret : new String[] {ALICE, BOB, CAROL, "short-key", "ab".repeat(20)})
                assertFalse(e.getMessage().contains(secret), "no key is echoed: " + e.getMessage());
        }
    }

    @Test
    void refusesFeeSettingsOutOfBounds() {
        assertEquals(
                150,
                ProcessorConfig.feeSchedule("{\"bps\":150,\"fixed\":{\"EUR\":25}}")
                        .standard()
                        .bps());
        for (String bad : new String[] {
            "{\"bps\":-1}",
            "{\"bps\":10001}",
            "{\"bps\":4294967446}", // 2^32 + 150: would wrap to 150 as an int
            "{\"bps\":1.5}",
            "{\"fixed\":{\"EUR\":-1}}",
            "{\"fixed\":{\"EUR\":1000001}}",
            "{\"fixed\":{\"EUR\":1e30}}",
            "{\"fixed\":{\"EUR\":99999999999999999999}}",
            "{\"merchants\":{\"m-1\":{\"bps\":20000}}}"
        }) {
            IllegalArgumentException e =
                    assertThrows(IllegalArgumentException.class, () -> ProcessorConfig.feeSchedule(bad), bad);
            assertTrue(e.getMessage().startsWith("FEE_SCHEDULE is not a valid fee schedule"), e.getMessage());
        }
    }

    @Test
    void neverPrintsSecrets() {
        ProcessorConfig c = ProcessorConfig.fromEnv(dev(
                "ADMIN_API_KEY",
                "very-secret-admin-key-0123456789abcdef",
                "PGPASSWORD",
                "pg-secret",
                "DEMO_API_KEY",
                "sk_secret_demo"));
        assertFalse(c.toString().contains("very-secret-admin"));
        assertFalse(c.toString().contains("pg-secret"));
        assertFalse(c.toString().contains("sk_secret_demo"));
    }
}
