package dev.payproc.gateway.codec;

/**
 * Field names chosen by the client, made safe to echo in an error: a long run of digits (which could be a
 * card number sent as a field name) is starred out, and the name is cut to a sane length.
 */
final class FieldNames {
    private static final int MAX_LENGTH = 64;
    private static final int LONGEST_DIGIT_RUN = 4;

    private FieldNames() {}

    static String safe(String name) {
        String cut = name.length() > MAX_LENGTH ? name.substring(0, MAX_LENGTH) + "…" : name;
        StringBuilder out = new StringBuilder(cut.length());
        int run = 0;
        for (int i = 0; i < cut.length(); i++) {
            char c = cut.charAt(i);
            run = c >= '0' && c <= '9' ? run + 1 : 0;
            out.append(c);
            if (run == LONGEST_DIGIT_RUN + 1) out.replace(out.length() - run, out.length(), "*".repeat(run));
            else if (run > LONGEST_DIGIT_RUN + 1) out.setCharAt(out.length() - 1, '*');
        }
        return out.toString();
    }
}
