package dev.payproc.core.model;

import java.util.concurrent.ThreadLocalRandom;

/**
 * Payment ids are {@code pay_} and a ULID: 48 bits of milliseconds then 80 random bits in Crockford base32,
 * so ids sort by creation time and index well. Authorization codes are six random characters.
 */
public final class PaymentIds {
    private static final char[] CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ".toCharArray();
    private static final char[] AUTH_CODE_ALPHABET = "0123456789ABCDEFGHJKLMNPQRSTUVWXYZ".toCharArray();

    private PaymentIds() {}

    public static String newPaymentId(long epochMillis) {
        char[] out = new char[30];
        out[0] = 'p';
        out[1] = 'a';
        out[2] = 'y';
        out[3] = '_';
        for (int i = 9; i >= 0; i--) { // 10 chars of time, 5 bits each (the top 2 bits are always 0)
            out[4 + i] = CROCKFORD[(int) (epochMillis & 31)];
            epochMillis >>>= 5;
        }
        ThreadLocalRandom rnd = ThreadLocalRandom.current();
        long hi = rnd.nextLong();
        long lo = rnd.nextLong();
        for (int i = 0; i < 16; i++) { // 80 random bits: 16 chars
            long src = i < 8 ? hi : lo;
            out[14 + i] = CROCKFORD[(int) ((src >>> ((i & 7) * 5)) & 31)];
        }
        return new String(out);
    }

    public static String newAuthCode() {
        ThreadLocalRandom rnd = ThreadLocalRandom.current();
        char[] out = new char[6];
        for (int i = 0; i < out.length; i++) out[i] = AUTH_CODE_ALPHABET[rnd.nextInt(AUTH_CODE_ALPHABET.length)];
        return new String(out);
    }
}
