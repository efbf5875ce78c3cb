package dev.payproc.core.card;

/** The Luhn (mod 10) check digit test that every card number passes. */
public final class Luhn {
    private Luhn() {}

    /** True when {@code digits} is all ASCII digits and its Luhn sum is a multiple of 10. */
    public static boolean isValid(CharSequence digits) {
        int sum = 0;
        boolean dbl = false;
        for (int i = digits.length() - 1; i >= 0; i--) {
            int d = digits.charAt(i) - '0';
            if (d < 0 || d > 9) return false;
            if (dbl) {
                d *= 2;
                if (d > 9) d -= 9;
            }
            sum += d;
            dbl = !dbl;
        }
        return digits.length() > 0 && sum % 10 == 0;
    }
}
