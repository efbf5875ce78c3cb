package dev.payproc.risk;

/**
 * Packs ISO currency (3 letters) and country (2 letters) codes into ints, so per-attempt state stays in
 * primitive arrays. The gateway has validated both; anything else is a bug and throws.
 */
public final class Codes {
    private Codes() {}

    public static int currency(String code) {
        return pack(code, 3);
    }

    public static int country(String code) {
        return pack(code, 2);
    }

    public static String unpack(int packed) {
        StringBuilder sb = new StringBuilder(3);
        for (int v = packed; v != 0; v >>>= 8) sb.insert(0, (char) (v & 0xFF));
        return sb.toString();
    }

    private static int pack(String code, int length) {
        if (code.length() != length) throw new IllegalArgumentException("expected a " + length + "-letter code");
        int v = 0;
        for (int i = 0; i < length; i++) {
            char c = code.charAt(i);
            if (c < 'A' || c > 'Z') throw new IllegalArgumentException("expected upper-case letters");
            v = v << 8 | c;
        }
        return v;
    }
}
