package dev.payproc.core.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Currency;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class CurrenciesTest {
    @Test
    void withdrawnAndFundsCodesAreRefusedWithTheReason() {
        for (String code : new String[] {"DEM", "FRF", "ITL", "HRK", "VEF", "ZWL"}) {
            assertEquals(-1, Currencies.exponent(code), code);
            assertEquals("is a withdrawn ISO 4217 currency, no longer legal tender", Currencies.whyRefused(code));
        }
        assertEquals(-1, Currencies.exponent("CLF"));
        assertEquals("is an ISO 4217 funds code, not a currency payments are made in", Currencies.whyRefused("CLF"));
        assertNull(Currencies.whyRefused("ABC"));
        assertNull(Currencies.whyRefused("EUR"));
    }

    /** A code the JDK adds must be given a rate (and so risk limits) or be named withdrawn or funds. */
    @Test
    void everyCodeTheJdkKnowsIsAcceptedWithARateOrRefusedWithAReason() {
        TreeSet<String> unclassified = new TreeSet<>();
        for (Currency c : Currency.getAvailableCurrencies()) {
            String code = c.getCurrencyCode();
            if (c.getDefaultFractionDigits() < 0) continue; // gold, SDRs, test codes: no integer amount
            if (Currencies.exponent(code) >= 0) {
                assertEquals(c.getDefaultFractionDigits(), Currencies.exponent(code), code);
                assertTrue(Currencies.perEuro(code) > 0, code);
            } else if (Currencies.whyRefused(code) == null) {
                unclassified.add(code);
            }
        }
        assertEquals(new TreeSet<>(), unclassified);
        assertTrue(Currencies.accepted().containsAll(java.util.List.of("EUR", "USD", "JPY", "BHD", "CHF", "GBP")));
    }

    @Test
    void decimalsHaveTheCurrencysExponent() {
        assertEquals("12.50", Currencies.decimal(1250, "EUR"));
        assertEquals("1250", Currencies.decimal(1250, "JPY"));
        assertEquals("1.250", Currencies.decimal(1250, "KWD"));
        assertEquals("0.005", Currencies.decimal(5, "BHD"));
        assertEquals("-0.05", Currencies.decimal(-5, "EUR"));
        assertEquals("0.00", Currencies.decimal(0, "USD"));
        assertEquals("9999999999.99", Currencies.decimal(999_999_999_999L, "EUR"));
        assertEquals("0.010", Currencies.decimal(10, "KWD"));
        assertEquals("-0.001", Currencies.decimal(-1, "BHD"));
        assertEquals(0, Currencies.exponent("JPY"));
        assertEquals(3, Currencies.exponent("KWD"));
        assertEquals(-1, Currencies.exponent("XXX"), "no minor unit: refused");
        assertEquals(-1, Currencies.exponent("XAU"), "gold is not a currency payments are made in");
        assertEquals(-1, Currencies.exponent("eur"), "codes are upper case");
        org.junit.jupiter.api.Assertions.assertThrows(
                IllegalArgumentException.class, () -> Currencies.decimal(1, "XXX"));
    }

    @Test
    void theDecimalIsBigDecimalsPlainStringForEveryExponentAndAmount() {
        java.util.SplittableRandom random = new java.util.SplittableRandom(18);
        long[] edges = {
            0, 1, -1, 9, 10, 99, 100, 101, 999, 1_000, 1_001, 10_000, Long.MAX_VALUE, Long.MIN_VALUE, Long.MIN_VALUE + 1
        };
        for (String code : List.of("JPY", "EUR", "KWD", "BHD")) {
            int exponent = Currencies.exponent(code);
            for (long minor : edges) assertDecimal(minor, exponent, code);
            for (int i = 0; i < 10_000; i++) {
                long minor = random.nextBoolean() ? random.nextLong() : random.nextLong(-100_000, 100_000);
                assertDecimal(minor, exponent, code);
            }
        }
    }

    private static void assertDecimal(long minor, int exponent, String code) {
        String expected = java.math.BigDecimal.valueOf(minor, exponent).toPlainString();
        assertEquals(expected, Currencies.decimal(minor, code), minor + " " + code);
        assertEquals(
                "x" + expected,
                Currencies.appendDecimal(new StringBuilder("x"), minor, code).toString());
    }
}
