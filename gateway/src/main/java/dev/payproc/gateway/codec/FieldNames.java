package dev.payproc.gateway.codec;

/**
 * Text chosen by the client (field names, request paths), made safe to echo in an error: a long run of digits, or 12
 * or more digits with only separators between them (a card number sent as a field name, spaced or dashed), is starred
 * out, and the text is cut to a sane length.
 */
public final class FieldNames {
    private static final int MAX_LENGTH = 64;
    private static final int LONGEST_DIGIT_RUN = 4;
    /** The fewest digits of a PAN (ISO/IEC 7812): a group of this many, separators aside, is starred whole. */
    private static final int SHORTEST_PAN = 12;

    private FieldNames() {}

    static String safe(String name) {
        return safe(name, MAX_LENGTH);
    }

    /** Stars first and cuts after, so a cut cannot leave the unstarred start of a card number behind. */
    public static String safe(String text, int maxLength) {
        char[] out = text.toCharArray();
        int i = 0;
        while (i < out.length) {
            if (!digit(out[i])) {
                i++;
                continue;
            }
            int end = i, digits = 0; // one group: digits with only separators between them
            for (int j = i; j < out.length && (digit(out[j]) || separator(out[j])); j++) {
                if (digit(out[j])) {
                    digits++;
                    end = j + 1;
                }
            }
            if (digits >= SHORTEST_PAN) starDigits(out, i, end);
            else starLongRuns(out, i, end);
            i = end;
        }
        String safe = new String(out);
        return safe.length() > maxLength ? safe.substring(0, maxLength) + "…" : safe;
    }

    private static void starDigits(char[] out, int from, int to) {
        for (int k = from; k < to; k++) if (digit(out[k])) out[k] = '*';
    }

    private static void starLongRuns(char[] out, int from, int to) {
        int runStart = from;
        for (int k = from; k <= to; k++) {
            if (k < to && digit(out[k])) continue;
            if (k - runStart > LONGEST_DIGIT_RUN) starDigits(out, runStart, k);
            runStart = k + 1;
        }
    }

    private static boolean digit(char c) {
        return c >= '0' && c <= '9';
    }

    private static boolean separator(char c) {
        return c == '-' || c == '.' || c == '/' || c == '_' || Character.isWhitespace(c);
    }
}
