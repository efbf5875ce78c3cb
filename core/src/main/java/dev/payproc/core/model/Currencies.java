package dev.payproc.core.model;

import java.util.Currency;
import java.util.HashMap;
import java.util.Map;

/** ISO 4217 lookups: which codes are accepted and their minor-unit exponent. */
public final class Currencies {
    private static final Map<String, Integer> EXPONENTS = new HashMap<>();

    static {
        for (Currency c : Currency.getAvailableCurrencies()) {
            // Codes without minor units (-1: gold, SDRs, test codes) cannot carry an integer amount.
            if (c.getDefaultFractionDigits() >= 0) EXPONENTS.put(c.getCurrencyCode(), c.getDefaultFractionDigits());
        }
    }

    private Currencies() {}

    /** The minor-unit exponent (EUR 2, JPY 0, BHD 3), or -1 for a code that is not an accepted currency. */
    public static int exponent(String code) {
        Integer e = code == null ? null : EXPONENTS.get(code);
        return e == null ? -1 : e;
    }
}
