package dev.payproc.webhooks;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The {@code Payproc-Signature} header: {@code t=<unix seconds>,v1=<hex HMAC-SHA256(secret, t + "." + body)>}, the
 * scheme of the well-known providers. Signing the timestamp with the body lets a receiver refuse a captured request
 * replayed later; {@link #verify} is the receiver's recipe (the README shows it).
 */
public final class WebhookSignature {
    public static final String HEADER = "Payproc-Signature";
    public static final Duration DEFAULT_TOLERANCE = Duration.ofSeconds(300);

    private WebhookSignature() {}

    /** The header value for {@code body} sent at {@code at}. */
    public static String header(String secret, Instant at, String body) {
        long t = at.getEpochSecond();
        return "t=" + t + ",v1=" + HexFormat.of().formatHex(mac(secret, t, body));
    }

    /**
     * Whether {@code header} signs {@code body} with {@code secret} at a time within {@code tolerance} of {@code now}
     * (either way: a clock ahead is as suspect as one behind). Any {@code v1} of the header may match (a sender
     * rotating secrets sends one per secret); the comparison takes the same time wherever the bytes differ.
     */
    public static boolean verify(String secret, String header, String body, Instant now, Duration tolerance) {
        if (header == null) return false;
        Long t = null;
        java.util.List<byte[]> signatures = new java.util.ArrayList<>();
        for (String part : header.split(",", -1)) {
            int eq = part.indexOf('=');
            if (eq <= 0) return false;
            String key = part.substring(0, eq).trim();
            String value = part.substring(eq + 1).trim();
            if (key.equals("t")) {
                if (t != null || !value.matches("[0-9]{1,12}")) return false;
                t = Long.parseLong(value);
            } else if (key.equals("v1")) {
                if (!value.matches("[0-9a-f]{64}")) return false;
                signatures.add(HexFormat.of().parseHex(value));
            }
        }
        if (t == null || signatures.isEmpty()) return false;
        if (Math.abs(now.getEpochSecond() - t) > tolerance.toSeconds()) return false;
        byte[] expected = mac(secret, t, body);
        boolean match = false;
        for (byte[] s : signatures) match |= MessageDigest.isEqual(expected, s);
        return match;
    }

    private static byte[] mac(String secret, long t, String body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            mac.update((t + ".").getBytes(StandardCharsets.UTF_8));
            return mac.doFinal(body.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 is unavailable", e);
        }
    }
}
