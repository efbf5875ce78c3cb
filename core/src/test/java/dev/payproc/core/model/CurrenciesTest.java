package dev.payproc.core.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Currency;
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
        assertEquals(0, Currencies.exponent("JPY"));
        assertEquals(3, Currencies.exponent("KWD"));
        assertEquals(-1, Currencies.exponent("XXX"), "no minor unit: refused");
        assertEquals(-1, Currencies.exponent("XAU"), "gold is not a currency payments are made in");
        assertEquals(-1, Currencies.exponent("eur"), "codes are upper case");
        org.junit.jupiter.api.Assertions.assertThrows(
                IllegalArgumentException.class, () -> Currencies.decimal(1, "XXX"));
    }
}
