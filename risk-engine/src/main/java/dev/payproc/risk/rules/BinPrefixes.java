package dev.payproc.risk.rules;

import java.util.Arrays;
import java.util.Set;

/**
 * Blocklisted BIN prefixes as sorted ints per length (6, 7, 8), so a card's BIN is matched by reading its
 * digits: no substring, no allocation.
 */
final class BinPrefixes {
    private static final int SHORTEST = 6;
    private static final int LONGEST = 8;

    private final int[][] byLength = new int[LONGEST - SHORTEST + 1][];

    BinPrefixes(Set<String> bins) {
        for (int len = SHORTEST; len <= LONGEST; len++) {
            int l = len;
            byLength[len - SHORTEST] = bins.stream()
                    .filter(b -> b.length() == l)
                    .mapToInt(Integer::parseInt)
                    .sorted()
                    .toArray();
        }
    }

    /** The length of the shortest blocklisted prefix of {@code bin} (6-8 digits), or 0. */
    int match(String bin) {
        int value = 0;
        for (int i = 0; i < LONGEST && i < bin.length(); i++) {
            char c = bin.charAt(i);
            if (c < '0' || c > '9') return 0;
            value = value * 10 + (c - '0');
            if (i + 1 >= SHORTEST && Arrays.binarySearch(byLength[i + 1 - SHORTEST], value) >= 0) return i + 1;
        }
        return 0;
    }
}
