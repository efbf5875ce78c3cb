package dev.payproc.risk;

import java.util.Objects;

/**
 * The engine's cards by fingerprint, least recently seen first: an access-ordered hash map whose entries are
 * the {@link CardHistory} objects themselves. A {@code LinkedHashMap<String, CardHistory>} would add an entry, a
 * key string and its bytes per card (about 110 bytes); here a fingerprint of 32 lower-case hex digits is kept
 * as two longs, and any other string (tests use short names) as itself, so keys stay exact. Fingerprints are
 * keyed HMACs that no client can aim at one hash chain, so chains need no balancing.
 */
final class CardTable {
    private static final int INITIAL_BUCKETS = 1024;

    private CardHistory[] buckets = new CardHistory[INITIAL_BUCKETS];
    private int size;
    private CardHistory oldest;
    private CardHistory newest;

    int size() {
        return size;
    }

    /** The history of the card with {@code fingerprint}, created if new, now the most recently seen. */
    CardHistory touch(String fingerprint) {
        long high = 0;
        long low = 0;
        boolean hex = fingerprint.length() == 32;
        for (int i = 0; hex && i < 32; i++) {
            int d = hexDigit(fingerprint.charAt(i));
            hex = d >= 0;
            if (i < 16) high = high << 4 | d;
            else low = low << 4 | d;
        }
        if (!hex) high = low = 0;
        String other = hex ? null : fingerprint;
        int b = hash(high, low, other) & (buckets.length - 1);
        for (CardHistory c = buckets[b]; c != null; c = c.nextInBucket) {
            if (c.keyHigh == high && c.keyLow == low && Objects.equals(c.keyOther, other)) {
                if (c != newest) {
                    unlink(c);
                    append(c);
                }
                return c;
            }
        }
        CardHistory c = new CardHistory(high, low, other);
        c.nextInBucket = buckets[b];
        buckets[b] = c;
        append(c);
        if (++size > buckets.length / 4 * 3) rehash();
        return c;
    }

    /** Drops up to {@code most} of the least recently seen cards whose last attempt is at or before {@code idleUpTo}. */
    void evictIdle(long idleUpTo, int most) {
        for (int n = 0; n < most && oldest != null && oldest.lastMillis() <= idleUpTo; n++) remove(oldest);
    }

    private void remove(CardHistory c) {
        int b = bucket(c);
        if (buckets[b] == c) {
            buckets[b] = c.nextInBucket;
        } else {
            CardHistory prev = buckets[b];
            while (prev.nextInBucket != c) prev = prev.nextInBucket;
            prev.nextInBucket = c.nextInBucket;
        }
        unlink(c);
        size--;
    }

    private void append(CardHistory c) {
        c.older = newest;
        c.newer = null;
        if (newest == null) oldest = c;
        else newest.newer = c;
        newest = c;
    }

    private void unlink(CardHistory c) {
        if (c.older == null) oldest = c.newer;
        else c.older.newer = c.newer;
        if (c.newer == null) newest = c.older;
        else c.newer.older = c.older;
    }

    private void rehash() {
        CardHistory[] old = buckets;
        buckets = new CardHistory[old.length * 2];
        for (CardHistory head : old) {
            for (CardHistory c = head; c != null; ) {
                CardHistory next = c.nextInBucket;
                int b = bucket(c);
                c.nextInBucket = buckets[b];
                buckets[b] = c;
                c = next;
            }
        }
    }

    private int bucket(CardHistory c) {
        return hash(c.keyHigh, c.keyLow, c.keyOther) & (buckets.length - 1);
    }

    private static int hash(long high, long low, String other) {
        if (other != null) {
            int h = other.hashCode();
            return h ^ h >>> 16;
        }
        // An HMAC's bits are uniform already; the multiply only keeps patterned test fingerprints apart.
        long x = high * 0x9E3779B97F4A7C15L + low;
        return (int) (x ^ x >>> 32);
    }

    /** The value of a lower-case hex digit, or -1. */
    private static int hexDigit(char c) {
        if (c >= '0' && c <= '9') return c - '0';
        if (c >= 'a' && c <= 'f') return c - 'a' + 10;
        return -1;
    }
}
