package dev.payproc.bench.faults;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.time.Year;
import java.time.ZoneOffset;

/**
 * The authorization behind an Idempotency-Key. Key {@code f<phase>-<i>} always maps to the same body, so a
 * retry after a crash can resend exactly what was sent first (a different body would be a 409), and every
 * request has its own card: two payments with one card fingerprint in the ledger are one request committed twice.
 * The body is written from precomputed ASCII pieces, so the flood sender builds one in a few hundred nanoseconds.
 */
final class Requests {
    private static final String EXPIRY = "12/" + (Year.now(ZoneOffset.UTC).getValue() + 3) % 100;
    private static final int TERMINALS =
            20_000; // ~10 attempts per terminal per minute at 3000/s, far below VELOCITY_TERMINAL
    private static final int PAN_DIGITS = 16;
    private static final byte[] AMOUNT = ascii("\",\"amount\":");
    private static final byte[] PAN = ascii(",\"currency\":\"EUR\",\"card\":{\"pan\":\"");
    private static final byte[] REST =
            ascii("\",\"expiry\":\"" + EXPIRY + "\"},\"entryMode\":\"CHIP\",\"mcc\":\"5411\","
                    + "\"merchantCountry\":\"DE\",\"cardholderVerification\":\"PIN\",\"capture\":\"AUTO\"}");

    private final byte[] head; // up to the terminal id, which follows "t-"

    Requests(String merchantId) {
        this.head = ascii("{\"merchantId\":\"" + merchantId + "\",\"terminalId\":\"t-");
    }

    static String key(int phase, long i) {
        return "f" + phase + "-" + i;
    }

    /** The body for {@code key} (as {@link #key} makes them). */
    String body(String key) {
        int dash = key.indexOf('-');
        ByteBuf buf = Unpooled.buffer(bodySizeHint());
        writeBody(buf, Integer.parseInt(key.substring(1, dash)), Long.parseLong(key.substring(dash + 1)));
        return buf.toString(StandardCharsets.US_ASCII);
    }

    int bodySizeHint() {
        return head.length + AMOUNT.length + PAN.length + REST.length + 32;
    }

    /** Appends the body of request {@code i} of {@code phase} to {@code buf}. */
    void writeBody(ByteBuf buf, int phase, long i) {
        buf.writeBytes(head);
        writeDecimal(buf, i % TERMINALS);
        buf.writeBytes(AMOUNT);
        writeDecimal(buf, 100 + i * 7919 % 39_900);
        buf.writeBytes(PAN);
        buf.writeBytes(panDigits(phase, i));
        buf.writeBytes(REST);
    }

    /** "4", the phase digit, i in 13 digits, the Luhn check digit: unique per key within a run. */
    static String pan(int phase, long i) {
        return new String(panDigits(phase, i), StandardCharsets.US_ASCII);
    }

    private static byte[] panDigits(int phase, long i) {
        byte[] pan = new byte[PAN_DIGITS];
        pan[0] = '4';
        pan[1] = (byte) ('0' + phase % 10);
        long rest = i;
        for (int at = 14; at >= 2; at--, rest /= 10) pan[at] = (byte) ('0' + rest % 10);
        int sum = 0;
        for (int pos = 0; pos < 15; pos++) { // pos 0 sits next to the check digit: doubled
            int d = pan[14 - pos] - '0';
            if (pos % 2 == 0) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
            sum += d;
        }
        pan[15] = (byte) ('0' + (10 - sum % 10) % 10);
        return pan;
    }

    private static void writeDecimal(ByteBuf buf, long value) {
        long div = 1;
        while (div <= value / 10) div *= 10;
        for (; div > 0; div /= 10) buf.writeByte((int) ('0' + value / div % 10));
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
