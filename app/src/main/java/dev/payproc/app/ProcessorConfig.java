package dev.payproc.app;

import dev.payproc.app.cluster.ClusterSettings;
import dev.payproc.core.audit.AuditKey;
import dev.payproc.core.card.CardKeys;
import dev.payproc.core.card.Sha256;
import dev.payproc.core.config.DatabaseSettings;
import dev.payproc.core.model.FeeSchedule;
import dev.payproc.risk.RiskEngine;
import dev.payproc.risk.RiskSettings;
import dev.payproc.risk.json.RuleSetDocument;
import dev.payproc.webhooks.DeliveryBackoff;
import dev.payproc.webhooks.WebhookSettings;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import java.util.logging.Logger;

/**
 * Every setting of one processor, read from the environment (see the README for the list).
 * {@code maxInFlight} bounds admitted-but-unanswered requests and sizes every queue, so memory stays
 * bounded under any offered load.
 */
public record ProcessorConfig(
        int port,
        String plainHost,
        Integer tlsPort,
        String tlsCertPath,
        String tlsKeyPath,
        String tlsClientCaPath,
        DatabaseSettings database,
        String adminApiKey,
        Map<String, String> adminApiKeys,
        String demoMerchantId,
        String demoApiKey,
        int eventLoops,
        int riskShards,
        int maxInFlight,
        int admissionLagTargetMillis,
        double merchantAdmissionShare,
        int settlementWriters,
        int settlementBatchCap,
        int idempotencyCapacity,
        int bodyLimitBytes,
        int batchBodyLimitBytes,
        int statementTimeoutMillis,
        int authExpirySeconds,
        int expirySweepMillis,
        int auditAnchorLogSeconds,
        boolean benchCeiling,
        int terminalRatePerSecond,
        int merchantRatePerSecond,
        int bodyTimeoutMillis,
        RiskSettings risk,
        int riskMaxCardsPerMerchant,
        CardKeys cardKeys,
        byte[] previousHmacCheck,
        AuditKey auditKey,
        FeeSchedule fees,
        WebhookSettings webhooks,
        ClusterSettings cluster) {
    private static final Logger LOG = Logger.getLogger(ProcessorConfig.class.getName());

    public static ProcessorConfig fromEnv(Map<String, String> env) {
        int cores = Runtime.getRuntime().availableProcessors();
        String tls = env.get("TLS_PORT");
        Integer tlsPort = tls == null || tls.isBlank() ? null : Integer.parseInt(tls.trim());
        String adminApiKey = adminApiKey(env.get("ADMIN_API_KEY"));
        CardKeys cardKeys = cardKeys(env);
        return new ProcessorConfig(
                intVar(env, "PORT", 8080),
                plainHost(env, tlsPort != null),
                tlsPort,
                env.get("TLS_CERT_PATH"),
                env.get("TLS_KEY_PATH"),
                blankToNull(env.get("TLS_CLIENT_CA_PATH")),
                DatabaseSettings.fromEnv(env),
                adminApiKey,
                adminApiKeys(adminApiKey, env.get("ADMIN_API_KEYS")),
                blankToNull(env.get("DEMO_MERCHANT_ID")),
                blankToNull(env.get("DEMO_API_KEY")),
                intVar(env, "EVENT_LOOPS", cores),
                intVar(env, "RISK_SHARDS", cores),
                intVar(env, "MAX_IN_FLIGHT", 8192),
                intVar(env, "ADMISSION_LAG_TARGET_MS", 50),
                shareVar(env, "MERCHANT_ADMISSION_SHARE", 0.5),
                intVar(env, "SETTLEMENT_WRITERS", Math.max(2, cores)),
                intVar(env, "SETTLEMENT_BATCH_CAP", 512),
                intVar(env, "IDEMPOTENCY_CACHE", 200_000),
                intVar(env, "BODY_LIMIT_BYTES", 16 * 1024),
                intVar(env, "BATCH_BODY_LIMIT_BYTES", 1024 * 1024),
                intVar(env, "STATEMENT_TIMEOUT_MS", 5_000),
                intVar(env, "AUTH_EXPIRY_SECONDS", 7 * 24 * 3600),
                intVar(env, "EXPIRY_SWEEP_MS", 60_000),
                intVar(env, "AUDIT_ANCHOR_LOG_SECONDS", 300),
                "1".equals(env.get("BENCH_CEILING")),
                intVar(env, "TERMINAL_RATE_LIMIT", 50),
                intVar(env, "MERCHANT_RATE_LIMIT", 20_000),
                intVar(env, "BODY_TIMEOUT_MS", 10_000),
                riskSettings(env.get("RISK_RULES_FILE")),
                positiveVar(env, "RISK_MAX_CARDS_PER_MERCHANT", RiskEngine.DEFAULT_MAX_CARDS_PER_MERCHANT),
                cardKeys,
                previousHmacCheck(env, cardKeys),
                auditKey(env),
                feeSchedule(env.get("FEE_SCHEDULE")),
                new WebhookSettings(
                        positiveVar(env, "WEBHOOK_CONCURRENCY", 16),
                        positiveVar(env, "WEBHOOK_TIMEOUT_MS", 10_000),
                        new DeliveryBackoff(
                                positiveVar(env, "WEBHOOK_BACKOFF_BASE_MS", 1_000),
                                positiveVar(env, "WEBHOOK_BACKOFF_CAP_MS", 600_000),
                                positiveVar(env, "WEBHOOK_MAX_ATTEMPTS", 10))),
                ClusterSettings.fromEnv(env));
    }

    /**
     * The address the cleartext listener ({@code PORT}) binds. Beside a TLS port it is loopback only unless
     * {@code PLAIN_HOST} opens it: otherwise card data and keys could travel in clear and mutual TLS be bypassed.
     */
    static String plainHost(Map<String, String> env, boolean tls) {
        String host = blankToNull(env.get("PLAIN_HOST"));
        if (host != null) return host.trim();
        return tls ? "127.0.0.1" : "0.0.0.0";
    }

    /** The listeners this configuration opens, for the start-up log. */
    public String listeners() {
        String plain =
                "h2c and HTTP/1.1 on " + plainHost + ":" + port + (isLoopback(plainHost) ? " (loopback only)" : "");
        if (tlsPort == null) return plain;
        return plain + "; h2 over TLS on 0.0.0.0:" + tlsPort
                + (tlsClientCaPath != null ? " (mutual TLS: client certificates required)" : "");
    }

    static boolean isLoopback(String host) {
        return host.startsWith("127.") || host.equals("::1") || host.equals("localhost");
    }

    /**
     * {@code FEE_SCHEDULE}: {@code {"bps": 150, "fixed": {"EUR": 25}, "merchants": {"m-1": {"bps": 100}},
     * "disputeFees": {"EUR": 1500}}} (basis points of captured money plus a fixed fee per currency, and a fixed fee per
     * currency for a dispute lost or accepted); none configured charges nothing.
     */
    static FeeSchedule feeSchedule(String json) {
        if (json == null || json.isBlank()) return FeeSchedule.NONE;
        try {
            JsonObject doc = new JsonObject(json);
            Map<String, FeeSchedule.Rate> merchants = new java.util.HashMap<>();
            JsonObject perMerchant = doc.getJsonObject("merchants", new JsonObject());
            for (String merchant : perMerchant.fieldNames())
                merchants.put(merchant, rate(perMerchant.getJsonObject(merchant)));
            Map<String, Long> disputeFees = new java.util.HashMap<>();
            JsonObject d = doc.getJsonObject("disputeFees", new JsonObject());
            for (String currency : d.fieldNames())
                disputeFees.put(currency, wholeNumber(d.getValue(currency), "disputeFees." + currency));
            return new FeeSchedule(rate(doc), merchants, disputeFees);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("FEE_SCHEDULE is not a valid fee schedule: " + e.getMessage());
        }
    }

    private static FeeSchedule.Rate rate(JsonObject o) {
        Map<String, Long> fixed = new java.util.HashMap<>();
        JsonObject f = o.getJsonObject("fixed", new JsonObject());
        for (String currency : f.fieldNames())
            fixed.put(currency, wholeNumber(f.getValue(currency), "fixed." + currency));
        long bps = o.getValue("bps") == null ? 0 : wholeNumber(o.getValue("bps"), "bps");
        // clamped, not cast: a value beyond int must still be refused as out of range, never wrap into it
        return new FeeSchedule.Rate((int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, bps)), fixed);
    }

    /** A JSON integer that fits a long: 1.5 or 1e30 would otherwise be truncated or saturated silently. */
    private static long wholeNumber(Object value, String name) {
        if (value instanceof Integer || value instanceof Long) return ((Number) value).longValue();
        throw new IllegalArgumentException(name + " must be a whole number");
    }

    /** The rule set from {@code RISK_RULES_FILE} (a rule-set JSON document), or the built-in defaults. */
    static RiskSettings riskSettings(String path) {
        if (path == null || path.isBlank()) return RiskSettings.defaults();
        String json;
        try {
            json = Files.readString(Path.of(path));
        } catch (IOException e) {
            throw new IllegalArgumentException("RISK_RULES_FILE " + path + " cannot be read: " + e.getMessage());
        }
        RuleSetDocument.Result parsed = RuleSetDocument.parse(json);
        if (parsed instanceof RuleSetDocument.Invalid invalid) {
            throw new IllegalArgumentException(
                    "RISK_RULES_FILE " + path + " is not a valid rule set: " + invalid.errors());
        }
        LOG.info("risk rules loaded from " + path);
        return ((RuleSetDocument.Valid) parsed).settings();
    }

    /**
     * Card keys from {@code CARD_HMAC_KEY} and {@code CARD_ENCRYPTION_KEY} (base64, 32 bytes each) and
     * {@code CARD_KEY_ID}. They come as a pair: one without the other is refused, naming the missing one. Without
     * both the processor refuses to start, unless {@code DEV_KEYS=1} asks for the fixed development keys from
     * the source (the demo and the tests): anyone who reads the source could derive tokens and decrypt PANs made
     * with those.
     */
    static CardKeys cardKeys(Map<String, String> env) {
        String hmac = blankToNull(env.get("CARD_HMAC_KEY"));
        String enc = blankToNull(env.get("CARD_ENCRYPTION_KEY"));
        if (hmac != null && enc != null) {
            Map<String, byte[]> retired = new java.util.HashMap<>();
            String list = blankToNull(env.get("CARD_RETIRED_KEYS")); // "id:base64,id:base64": older keys, decrypt only
            if (list != null) {
                for (String entry : list.split(",")) {
                    int colon = entry.indexOf(':');
                    if (colon < 1) throw new IllegalArgumentException("CARD_RETIRED_KEYS entries must be id:base64");
                    String id = entry.substring(0, colon).trim();
                    retired.put(
                            id,
                            base64(
                                    "CARD_RETIRED_KEYS entry " + id,
                                    entry.substring(colon + 1).trim()));
                }
            }
            return new CardKeys(
                    base64("CARD_HMAC_KEY", hmac),
                    env.getOrDefault("CARD_KEY_ID", "k1"),
                    base64("CARD_ENCRYPTION_KEY", enc),
                    retired);
        }
        if (hmac != null || enc != null) {
            throw new IllegalArgumentException((hmac == null ? "CARD_HMAC_KEY" : "CARD_ENCRYPTION_KEY")
                    + " is not set, but " + (hmac == null ? "CARD_ENCRYPTION_KEY" : "CARD_HMAC_KEY")
                    + " is: card keys are a pair, set both");
        }
        if (!"1".equals(env.get("DEV_KEYS"))) {
            throw new IllegalArgumentException(
                    "CARD_HMAC_KEY and CARD_ENCRYPTION_KEY are not set: set both (base64, 32 bytes"
                            + " each), or DEV_KEYS=1 to use the built-in development keys (never with real card data)");
        }
        LOG.warning("DEV_KEYS=1: using the built-in DEVELOPMENT card keys; never run production traffic like this");
        return new CardKeys(
                Sha256.of("payproc development hmac key"), "dev1", Sha256.of("payproc development encryption key"));
    }

    /**
     * The check value of {@code CARD_PREVIOUS_HMAC_KEY} (base64, at least 32 bytes), or null when it is not set: the
     * key the stored cards were derived with, given beside a new {@code CARD_HMAC_KEY} to rotate to it (README, "Card
     * keys"). Only its check value is kept: the rotation re-derives every card from its decrypted PAN under the new key,
     * so the old key itself is never used, only recognised.
     */
    static byte[] previousHmacCheck(Map<String, String> env, CardKeys cardKeys) {
        String value = blankToNull(env.get("CARD_PREVIOUS_HMAC_KEY"));
        if (value == null) return null;
        byte[] key = base64("CARD_PREVIOUS_HMAC_KEY", value.trim());
        if (key.length < 32) throw new IllegalArgumentException("CARD_PREVIOUS_HMAC_KEY needs at least 32 bytes");
        if (java.util.Arrays.equals(key, cardKeys.hmacKey())) {
            throw new IllegalArgumentException("CARD_PREVIOUS_HMAC_KEY is the same key as CARD_HMAC_KEY: set it to the"
                    + " key being rotated from, or remove it");
        }
        return CardKeys.hmacCheckValue(key);
    }

    /**
     * {@code AUDIT_HMAC_KEY} (base64, 32 bytes): the key of the seal chains over money-moving rows and of the admin
     * audit. Kept outside the database, so that write access to it is not enough to rebuild a chain after an edit.
     * Without it the processor refuses to start, unless {@code DEV_KEYS=1} asks for the development key.
     */
    static AuditKey auditKey(Map<String, String> env) {
        String value = blankToNull(env.get("AUDIT_HMAC_KEY"));
        if (value != null) {
            byte[] key = base64("AUDIT_HMAC_KEY", value.trim());
            if (key.length != AuditKey.LENGTH) {
                throw new IllegalArgumentException("AUDIT_HMAC_KEY must be " + AuditKey.LENGTH
                        + " bytes (base64 of them, e.g. openssl rand -base64 32), got " + key.length);
            }
            return new AuditKey(key);
        }
        if (!"1".equals(env.get("DEV_KEYS"))) {
            throw new IllegalArgumentException("AUDIT_HMAC_KEY is not set: set it (base64, 32 bytes, e.g. openssl rand"
                    + " -base64 32), or DEV_KEYS=1 to use the built-in development key (never in production)");
        }
        LOG.warning("DEV_KEYS=1: using the built-in DEVELOPMENT audit key; seals made with it prove nothing");
        return new AuditKey(Sha256.of("payproc development audit key"));
    }

    static final int MIN_ADMIN_KEY_LENGTH = 32;
    /** The actor recorded for {@code ADMIN_API_KEY}. */
    public static final String ADMIN_KEY_NAME = "admin";

    private static final java.util.regex.Pattern ADMIN_KEY_NAME_PATTERN =
            java.util.regex.Pattern.compile("[a-z0-9._-]{1,32}");

    /**
     * {@code ADMIN_API_KEY}, unset or long and varied enough not to be guessed: at least {@value #MIN_ADMIN_KEY_LENGTH}
     * characters, of which at least 8 differ. The message never echoes the value.
     */
    static String adminApiKey(String value) {
        String key = blankToNull(value);
        if (key == null) return null;
        return strongAdminKey("ADMIN_API_KEY", key);
    }

    private static String strongAdminKey(String what, String key) {
        if (key.length() < MIN_ADMIN_KEY_LENGTH) {
            throw new IllegalArgumentException(what + " is too short: it needs at least " + MIN_ADMIN_KEY_LENGTH
                    + " characters (e.g. openssl rand -base64 32)");
        }
        if (key.chars().distinct().count() < 8) {
            throw new IllegalArgumentException(
                    what + " is too easy to guess: it repeats too few characters (e.g. openssl rand -base64 32)");
        }
        return key;
    }

    /**
     * Every admin key by the name the audit trail records for it: {@code ADMIN_API_KEY} as {@value #ADMIN_KEY_NAME}, and
     * the named keys of {@code ADMIN_API_KEYS} ({@code name:key,name:key}). Names are 1-32 characters of
     * {@code [a-z0-9._-]} and unique, keys meet the rules of {@code ADMIN_API_KEY} and are unique; a message names an
     * entry by its position or its (valid) name, never by its key.
     */
    static Map<String, String> adminApiKeys(String adminApiKey, String list) {
        Map<String, String> keys = new java.util.LinkedHashMap<>();
        if (adminApiKey != null) keys.put(ADMIN_KEY_NAME, adminApiKey);
        if (blankToNull(list) != null) {
            String[] entries = list.split(",", -1);
            for (int i = 0; i < entries.length; i++) {
                String entry = entries[i].trim();
                String at = "ADMIN_API_KEYS entry " + (i + 1);
                int colon = entry.indexOf(':');
                if (colon < 0) {
                    throw new IllegalArgumentException(
                            at + " is not name:key (the list is name:key,name:key, separated by commas)");
                }
                String name = entry.substring(0, colon).trim();
                String key = entry.substring(colon + 1).trim();
                if (!ADMIN_KEY_NAME_PATTERN.matcher(name).matches()) {
                    throw new IllegalArgumentException(
                            at + ": a name is 1-32 characters of a-z, 0-9, '.', '_' and '-'");
                }
                if (keys.containsKey(name)) {
                    throw new IllegalArgumentException(at + ": the name " + name + " is used twice"
                            + (name.equals(ADMIN_KEY_NAME) && adminApiKey != null
                                    ? " (ADMIN_API_KEY is recorded as " + ADMIN_KEY_NAME + ")"
                                    : "")
                            + "; every key needs a name of its own");
                }
                strongAdminKey("the key of ADMIN_API_KEYS entry " + (i + 1) + " (" + name + ")", key);
                for (Map.Entry<String, String> other : keys.entrySet()) {
                    if (other.getValue().equals(key)) {
                        throw new IllegalArgumentException(at + " (" + name + ") has the same key as "
                                + (other.getKey().equals(ADMIN_KEY_NAME) && adminApiKey != null
                                        ? "ADMIN_API_KEY"
                                        : other.getKey())
                                + "; every name needs a key of its own");
                    }
                }
                keys.put(name, key);
            }
        }
        return java.util.Collections.unmodifiableMap(keys);
    }

    /** Decodes a base64 key; the message names the setting and never echoes its value. */
    private static byte[] base64(String name, String value) {
        try {
            return Base64.getDecoder().decode(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(name + " is not valid base64");
        }
    }

    /** A fraction in (0, 1]. */
    private static double shareVar(Map<String, String> env, String name, double fallback) {
        String v = env.get(name);
        if (v == null || v.isBlank()) return fallback;
        try {
            double d = Double.parseDouble(v.trim());
            if (!(d > 0 && d <= 1)) throw new NumberFormatException();
            return d;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a number above 0 and at most 1, got '" + v + "'");
        }
    }

    private static int positiveVar(Map<String, String> env, String name, int fallback) {
        int n = intVar(env, name, fallback);
        if (n < 1) throw new IllegalArgumentException(name + " must be at least 1, got " + n);
        return n;
    }

    private static int intVar(Map<String, String> env, String name, int fallback) {
        String v = env.get(name);
        if (v == null || v.isBlank()) return fallback;
        try {
            int n = Integer.parseInt(v.trim());
            if (n < 0) throw new NumberFormatException();
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a non-negative integer, got '" + v + "'");
        }
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    @Override
    public String toString() { // keys and passwords stay out of logs
        return "ProcessorConfig[port=" + port + ", plainHost=" + plainHost + ", tlsPort=" + tlsPort + ", " + database
                + ", eventLoops=" + eventLoops + ", riskShards=" + riskShards + ", riskMaxCardsPerMerchant="
                + riskMaxCardsPerMerchant
                + ", maxInFlight=" + maxInFlight + ", merchantAdmissionShare=" + merchantAdmissionShare
                + ", settlementWriters=" + settlementWriters
                + ", settlementBatchCap=" + settlementBatchCap + ", admin="
                + (adminApiKeys.isEmpty() ? "disabled" : "enabled for " + adminApiKeys.keySet())
                + ", demoMerchant=" + demoMerchantId + ", " + webhooks + (cluster == null ? "" : ", " + cluster) + "]";
    }
}
