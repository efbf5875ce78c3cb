package dev.payproc.bench.faults;

import java.time.Year;
import java.time.ZoneOffset;

/**
 * The authorization behind an Idempotency-Key. Key {@code f<phase>-<i>} always maps to the same body, so a
 * retry after a crash can resend exactly what was sent first (a different body would be a 409), and every
 * request has its own card: two payments with one card fingerprint in the ledger are one request committed twice.
 */
final class Requests {
    private static final String EXPIRY = "12/" + (Year.now(ZoneOffset.UTC).getValue() + 3) % 100;
    private static final int TERMINALS = 20_000; // ~10 attempts per terminal per minute at 3000/s, far below VELOCITY_TERMINAL

    private Requests() {}

    static String key(int phase, long i) {
        return "f" + phase + "-" + i;
    }

    static String body(String merchantId, String key) {
        int dash = key.indexOf('-');
        int phase = Integer.parseInt(key.substring(1, dash));
        long i = Long.parseLong(key.substring(dash + 1));
        return "{\"merchantId\":\"" + merchantId + "\",\"terminalId\":\"t-" + i % TERMINALS
                + "\",\"amount\":" + (100 + i * 7919 % 39_900) + ",\"currency\":\"EUR\",\"card\":{\"pan\":\"" + pan(phase, i)
                + "\",\"expiry\":\"" + EXPIRY + "\"},\"entryMode\":\"CHIP\",\"mcc\":\"5411\",\"merchantCountry\":\"DE\","
                + "\"cardholderVerification\":\"PIN\",\"capture\":\"AUTO\"}";
    }

    /** "4", the phase digit, i in 13 digits, the Luhn check digit: unique per key within a run. */
    static String pan(int phase, long i) {
        String body = "4" + phase % 10 + String.format("%013d", i);
        int sum = 0;
        for (int pos = 0; pos < 15; pos++) { // pos 0 sits next to the check digit: doubled
            int d = body.charAt(14 - pos) - '0';
            if (pos % 2 == 0) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
            sum += d;
        }
        return body + (10 - sum % 10) % 10;
    }
}
