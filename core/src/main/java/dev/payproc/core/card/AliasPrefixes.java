package dev.payproc.core.card;

import java.util.Arrays;

/**
 * The 32-bit prefixes of every card alias (the token the current {@code CARD_HMAC_KEY} derives for a card made under
 * an earlier key, see the README's "Card keys"), sorted, so that the hot path can tell without a database read that a
 * token it just derived from a PAN is no alias: a new card, or a card made under the current key. Only a token whose
 * prefix is in the set costs a read (which finds the card's first token, or nothing for a prefix collision: about one
 * token in 2^32 / n).
 *
 * <p>Why a sorted {@code int[]} and not a hash set of the aliases: 4 bytes per alias (about 4 MB per million cards)
 * instead of about 100, no boxing, and one length check when there are none. Aliases exist only for cards stored
 * before the last rotation, so the set is loaded once at start and never grows while the process runs: a card made
 * later is made under the current key and needs no alias.
 */
public final class AliasPrefixes {
    public static final AliasPrefixes NONE = new AliasPrefixes(new int[0]);

    private final int[] sorted;

    private AliasPrefixes(int[] sorted) {
        this.sorted = sorted;
    }

    /** Whether {@code token} may be an alias: false means it is certainly none. */
    public boolean mayContain(String token) {
        int[] s = sorted;
        return s.length != 0 && Arrays.binarySearch(s, prefix(token)) >= 0;
    }

    /** The number of distinct prefixes held. */
    public int size() {
        return sorted.length;
    }

    /**
     * A token's first 32 bits: the 6-bit values of its first six base64url characters after {@code tok_} (36 bits),
     * the highest 32 of them. The tokens are HMACs, so these bits are uniform. Anything else (never a tokenizer's
     * token) falls back to its hash code, which is still a valid, if weaker, filter.
     */
    static int prefix(String token) {
        if (token.length() < 10 || !token.startsWith("tok_")) return token.hashCode();
        long bits = 0;
        for (int i = 4; i < 10; i++) {
            int v = sextet(token.charAt(i));
            if (v < 0) return token.hashCode();
            bits = (bits << 6) | v;
        }
        return (int) (bits >>> 4);
    }

    private static int sextet(char c) {
        if (c >= 'A' && c <= 'Z') return c - 'A';
        if (c >= 'a' && c <= 'z') return c - 'a' + 26;
        if (c >= '0' && c <= '9') return c - '0' + 52;
        if (c == '-') return 62;
        if (c == '_') return 63;
        return -1;
    }

    /** Collects aliases as they are read (a cursor's pages), then sorts them once. */
    public static final class Builder {
        private int[] prefixes = new int[1024];
        private int n;

        public Builder add(String alias) {
            if (n == prefixes.length) prefixes = Arrays.copyOf(prefixes, n * 2);
            prefixes[n++] = prefix(alias);
            return this;
        }

        public AliasPrefixes build() {
            if (n == 0) return NONE;
            int[] s = Arrays.copyOf(prefixes, n);
            Arrays.sort(s);
            int distinct = 1;
            for (int i = 1; i < s.length; i++) if (s[i] != s[distinct - 1]) s[distinct++] = s[i];
            return new AliasPrefixes(distinct == s.length ? s : Arrays.copyOf(s, distinct));
        }
    }
}
