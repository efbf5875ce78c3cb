package dev.payproc.risk;

import java.util.Arrays;
import java.util.Objects;

/**
 * The engine's cards by fingerprint, least recently seen first. A {@code LinkedHashMap<String, CardHistory>} would
 * add an entry, a key string and its bytes per card (about 110 bytes); here a fingerprint of 32 lower-case hex
 * digits is kept in the card as two longs, and any other string (tests use short names) as itself, so keys stay
 * exact. Fingerprints are keyed HMACs that no client can aim at one hash chain, so chains need no balancing.
 * <p>
 * Each card has a slot; its bucket chain and its neighbours in least-recently-seen order are slot numbers in
 * {@code int} columns, not references between cards. Seeing a card again re-links it on every attempt, and with
 * references that wrote an old card's fields to point at a new one: cards the young collections had to scan at
 * every pause. Writing ints, the collector never hears of it; only a new card's slot in {@link #cards} is a
 * reference written.
 */
final class CardTable {
    private static final int INITIAL_SLOTS = 1024;
    private static final int NONE = -1;

    private CardHistory[] cards = new CardHistory[INITIAL_SLOTS]; // by slot; null when free
    private int[] nextInBucket = new int[INITIAL_SLOTS]; // by slot: the chain, or the free list for a free slot
    private int[] older = new int[INITIAL_SLOTS];
    private int[] newer = new int[INITIAL_SLOTS];
    private int[] buckets = filled(INITIAL_SLOTS);
    private int slotsUsed; // slots ever handed out; below it, free slots are on the free list
    private int free = NONE;
    private int size;
    private int oldest = NONE;
    private int newest = NONE;

    int size() {
        return size;
    }

    /**
     * The history of the card with {@code fingerprint}, now the most recently seen; created if new and
     * {@code quota} (the merchant's) takes it, else null.
     */
    CardHistory touch(String fingerprint, CardQuota quota) {
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
        for (int s = buckets[b]; s != NONE; s = nextInBucket[s]) {
            CardHistory c = cards[s];
            if (c.keyHigh == high && c.keyLow == low && Objects.equals(c.keyOther, other)) {
                if (s != newest) {
                    unlink(s);
                    append(s);
                }
                return c;
            }
        }
        if (!quota.take()) return null;
        int s = allocateSlot();
        CardHistory c = new CardHistory(high, low, other, quota);
        cards[s] = c;
        nextInBucket[s] = buckets[b];
        buckets[b] = s;
        append(s);
        if (++size > buckets.length / 4 * 3) rehash();
        return c;
    }

    /** Drops up to {@code most} of the least recently seen cards whose last attempt is at or before {@code idleUpTo}. */
    void evictIdle(long idleUpTo, int most) {
        for (int n = 0; n < most && oldest != NONE && cards[oldest].lastMillis() <= idleUpTo; n++) remove(oldest);
    }

    private void remove(int s) {
        int b = bucket(cards[s]);
        if (buckets[b] == s) {
            buckets[b] = nextInBucket[s];
        } else {
            int prev = buckets[b];
            while (nextInBucket[prev] != s) prev = nextInBucket[prev];
            nextInBucket[prev] = nextInBucket[s];
        }
        unlink(s);
        cards[s].quota.giveBack();
        cards[s] = null;
        nextInBucket[s] = free;
        free = s;
        size--;
    }

    private int allocateSlot() {
        if (free != NONE) {
            int s = free;
            free = nextInBucket[s];
            return s;
        }
        if (slotsUsed == cards.length) {
            int grown = cards.length * 2;
            cards = Arrays.copyOf(cards, grown);
            nextInBucket = Arrays.copyOf(nextInBucket, grown);
            older = Arrays.copyOf(older, grown);
            newer = Arrays.copyOf(newer, grown);
        }
        return slotsUsed++;
    }

    private void append(int s) {
        older[s] = newest;
        newer[s] = NONE;
        if (newest == NONE) oldest = s;
        else newer[newest] = s;
        newest = s;
    }

    private void unlink(int s) {
        if (older[s] == NONE) oldest = newer[s];
        else newer[older[s]] = newer[s];
        if (newer[s] == NONE) newest = older[s];
        else older[newer[s]] = older[s];
    }

    private void rehash() {
        buckets = filled(buckets.length * 2);
        for (int s = 0; s < slotsUsed; s++) {
            if (cards[s] == null) continue;
            int b = bucket(cards[s]);
            nextInBucket[s] = buckets[b];
            buckets[b] = s;
        }
    }

    private int bucket(CardHistory c) {
        return hash(c.keyHigh, c.keyLow, c.keyOther) & (buckets.length - 1);
    }

    private static int[] filled(int length) {
        int[] a = new int[length];
        Arrays.fill(a, NONE);
        return a;
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
