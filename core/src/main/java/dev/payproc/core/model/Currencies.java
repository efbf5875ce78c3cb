package dev.payproc.core.model;

import java.util.Collections;
import java.util.Currency;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * ISO 4217 lookups: which codes are accepted, their minor-unit exponent, and an approximate rate to the euro.
 * The accepted currencies are exactly those with a rate below, so every one of them has a risk limit. The JDK
 * still knows withdrawn codes (DEM, FRF...) and funds codes (units of account); those are refused.
 */
public final class Currencies {
    /**
     * Approximate units per euro (late 2025, rounded), fixed on purpose: they only scale the risk engine's
     * built-in default amounts to the right order of magnitude, never convert money. A rule set overrides them.
     */
    private static final Map<String, Double> PER_EURO = Map.ofEntries(
            Map.entry("AED", 4.0),
            Map.entry("AFN", 75.0),
            Map.entry("ALL", 97.0),
            Map.entry("AMD", 430.0),
            Map.entry("AOA", 1_000.0),
            Map.entry("ARS", 1_500.0),
            Map.entry("AUD", 1.7),
            Map.entry("AWG", 2.0),
            Map.entry("AZN", 1.9),
            Map.entry("BAM", 1.96),
            Map.entry("BBD", 2.2),
            Map.entry("BDT", 135.0),
            Map.entry("BHD", 0.42),
            Map.entry("BIF", 3_300.0),
            Map.entry("BMD", 1.1),
            Map.entry("BND", 1.5),
            Map.entry("BOB", 7.6),
            Map.entry("BRL", 6.2),
            Map.entry("BSD", 1.1),
            Map.entry("BTN", 95.0),
            Map.entry("BWP", 15.0),
            Map.entry("BYN", 3.6),
            Map.entry("BZD", 2.2),
            Map.entry("CAD", 1.55),
            Map.entry("CDF", 3_100.0),
            Map.entry("CHF", 0.94),
            Map.entry("CLP", 1_050.0),
            Map.entry("CNY", 8.0),
            Map.entry("COP", 4_500.0),
            Map.entry("CRC", 560.0),
            Map.entry("CUP", 26.0),
            Map.entry("CVE", 110.0),
            Map.entry("CZK", 25.0),
            Map.entry("DJF", 195.0),
            Map.entry("DKK", 7.46),
            Map.entry("DOP", 68.0),
            Map.entry("DZD", 150.0),
            Map.entry("EGP", 55.0),
            Map.entry("ERN", 16.5),
            Map.entry("ETB", 150.0),
            Map.entry("EUR", 1.0),
            Map.entry("FJD", 2.5),
            Map.entry("FKP", 0.85),
            Map.entry("GBP", 0.85),
            Map.entry("GEL", 3.0),
            Map.entry("GHS", 13.0),
            Map.entry("GIP", 0.85),
            Map.entry("GMD", 80.0),
            Map.entry("GNF", 9_500.0),
            Map.entry("GTQ", 8.5),
            Map.entry("GYD", 230.0),
            Map.entry("HKD", 8.6),
            Map.entry("HNL", 28.5),
            Map.entry("HTG", 145.0),
            Map.entry("HUF", 395.0),
            Map.entry("IDR", 18_000.0),
            Map.entry("ILS", 3.9),
            Map.entry("INR", 95.0),
            Map.entry("IQD", 1_450.0),
            Map.entry("IRR", 46_000.0),
            Map.entry("ISK", 150.0),
            Map.entry("JMD", 175.0),
            Map.entry("JOD", 0.78),
            Map.entry("JPY", 165.0),
            Map.entry("KES", 142.0),
            Map.entry("KGS", 96.0),
            Map.entry("KHR", 4_450.0),
            Map.entry("KMF", 492.0),
            Map.entry("KPW", 990.0),
            Map.entry("KRW", 1_550.0),
            Map.entry("KWD", 0.34),
            Map.entry("KYD", 0.92),
            Map.entry("KZT", 560.0),
            Map.entry("LAK", 24_000.0),
            Map.entry("LBP", 99_000.0),
            Map.entry("LKR", 330.0),
            Map.entry("LRD", 200.0),
            Map.entry("LSL", 20.5),
            Map.entry("LYD", 6.0),
            Map.entry("MAD", 10.8),
            Map.entry("MDL", 19.5),
            Map.entry("MGA", 5_000.0),
            Map.entry("MKD", 61.5),
            Map.entry("MMK", 2_300.0),
            Map.entry("MNT", 3_900.0),
            Map.entry("MOP", 8.9),
            Map.entry("MRU", 44.0),
            Map.entry("MUR", 51.0),
            Map.entry("MVR", 17.0),
            Map.entry("MWK", 1_900.0),
            Map.entry("MXN", 21.0),
            Map.entry("MYR", 4.9),
            Map.entry("MZN", 71.0),
            Map.entry("NAD", 20.5),
            Map.entry("NGN", 1_700.0),
            Map.entry("NIO", 40.5),
            Map.entry("NOK", 11.7),
            Map.entry("NPR", 152.0),
            Map.entry("NZD", 1.9),
            Map.entry("OMR", 0.42),
            Map.entry("PAB", 1.1),
            Map.entry("PEN", 4.1),
            Map.entry("PGK", 4.5),
            Map.entry("PHP", 64.0),
            Map.entry("PKR", 310.0),
            Map.entry("PLN", 4.25),
            Map.entry("PYG", 8_500.0),
            Map.entry("QAR", 4.0),
            Map.entry("RON", 5.0),
            Map.entry("RSD", 117.0),
            Map.entry("RUB", 95.0),
            Map.entry("RWF", 1_550.0),
            Map.entry("SAR", 4.1),
            Map.entry("SBD", 9.2),
            Map.entry("SCR", 15.5),
            Map.entry("SDG", 660.0),
            Map.entry("SEK", 11.2),
            Map.entry("SGD", 1.5),
            Map.entry("SHP", 0.85),
            Map.entry("SLE", 25.0),
            Map.entry("SOS", 630.0),
            Map.entry("SRD", 40.0),
            Map.entry("SSP", 4_000.0),
            Map.entry("STN", 24.5),
            Map.entry("SVC", 9.6),
            Map.entry("SYP", 14_000.0),
            Map.entry("SZL", 20.5),
            Map.entry("THB", 37.0),
            Map.entry("TJS", 11.0),
            Map.entry("TMT", 3.85),
            Map.entry("TND", 3.4),
            Map.entry("TOP", 2.6),
            Map.entry("TRY", 45.0),
            Map.entry("TTD", 7.5),
            Map.entry("TWD", 35.0),
            Map.entry("TZS", 2_800.0),
            Map.entry("UAH", 46.0),
            Map.entry("UGX", 4_000.0),
            Map.entry("USD", 1.1),
            Map.entry("UYU", 45.0),
            Map.entry("UZS", 14_000.0),
            Map.entry("VED", 250.0),
            Map.entry("VES", 250.0),
            Map.entry("VND", 29_000.0),
            Map.entry("VUV", 133.0),
            Map.entry("WST", 3.0),
            Map.entry("XAF", 656.0),
            Map.entry("XCD", 2.97),
            Map.entry("XCG", 1.97),
            Map.entry("XOF", 656.0),
            Map.entry("XPF", 119.0),
            Map.entry("YER", 275.0),
            Map.entry("ZAR", 20.5),
            Map.entry("ZMW", 27.0),
            Map.entry("ZWG", 30.0));

    /** Codes ISO 4217 has withdrawn that this JDK still lists: replaced (most by the euro) or redenominated. */
    private static final Set<String> WITHDRAWN = Set.of(
            "ADP", "AFA", "ANG", "ATS", "AYM", "AZM", "BEF", "BGL", "BGN", "BYB", "BYR", "CSD", "CUC", "CYP", "DEM",
            "EEK", "ESP", "FIM", "FRF", "GHC", "GRD", "GWP", "HRK", "IEP", "ITL", "LTL", "LUF", "LVL", "MGF", "MRO",
            "MTL", "MZM", "NLG", "PTE", "ROL", "RUR", "SDD", "SIT", "SKK", "SLL", "SRG", "STD", "TMM", "TPE", "TRL",
            "USS", "VEB", "VEF", "YUM", "ZMK", "ZWD", "ZWL", "ZWN", "ZWR");
    /** ISO 4217 funds codes: units of account and settlement variants, not what a cardholder pays in. */
    private static final Set<String> FUNDS = Set.of("BOV", "CHE", "CHW", "CLF", "COU", "MXV", "USN", "UYI");

    private static final Map<String, Integer> EXPONENTS = new HashMap<>();

    static {
        // Only what the JDK knows: an older JDK without a recent code (XCG, ZWG) refuses it rather than failing here.
        for (Currency c : Currency.getAvailableCurrencies()) {
            if (PER_EURO.containsKey(c.getCurrencyCode()))
                EXPONENTS.put(c.getCurrencyCode(), c.getDefaultFractionDigits());
        }
    }

    private Currencies() {}

    /** The minor-unit exponent (EUR 2, JPY 0, BHD 3), or -1 for a code that is not an accepted currency. */
    public static int exponent(String code) {
        Integer e = code == null ? null : EXPONENTS.get(code);
        return e == null ? -1 : e;
    }

    /**
     * {@code minor} minor units of an accepted {@code code} as a decimal in major units, with exactly the currency's
     * exponent of decimals: 1250 EUR "12.50", 1250 JPY "1250", 1250 KWD "1.250", -5 EUR "-0.05".
     */
    public static String decimal(long minor, String code) {
        return appendDecimal(new StringBuilder(24), minor, code).toString();
    }

    private static final long[] POWERS_OF_TEN = {1, 10, 100, 1_000, 10_000};

    /**
     * As {@link #decimal}, appended to {@code sb}: on the hot path (every authorization answer shows its amounts so),
     * digits written straight into the builder, no {@code BigDecimal} and no string per amount.
     */
    public static StringBuilder appendDecimal(StringBuilder sb, long minor, String code) {
        int exponent = exponent(code);
        if (exponent < 0) throw new IllegalArgumentException("not an accepted currency");
        if (exponent == 0) return sb.append(minor);
        if (exponent >= POWERS_OF_TEN.length || minor == Long.MIN_VALUE)
            return sb.append(java.math.BigDecimal.valueOf(minor, exponent).toPlainString());
        long scale = POWERS_OF_TEN[exponent];
        long abs = Math.abs(minor);
        long fraction = abs % scale;
        if (minor < 0) sb.append('-');
        sb.append(abs / scale).append('.');
        for (long p = scale / 10; p > 1 && fraction < p; p /= 10) sb.append('0'); // the fraction's leading zeros
        return sb.append(fraction);
    }

    /** Every accepted currency code. */
    public static Set<String> accepted() {
        return Collections.unmodifiableSet(EXPONENTS.keySet());
    }

    /** Approximately how many units of an accepted {@code code} a euro buys ({@link #PER_EURO}). */
    public static double perEuro(String code) {
        return PER_EURO.get(code);
    }

    /**
     * Why an ISO 4217 code the JDK knows is refused (withdrawn, or a funds code), or null for one that is not
     * ISO 4217 at all (or is accepted): the caller's own message then applies.
     */
    public static String whyRefused(String code) {
        if (WITHDRAWN.contains(code)) return "is a withdrawn ISO 4217 currency, no longer legal tender";
        if (FUNDS.contains(code)) return "is an ISO 4217 funds code, not a currency payments are made in";
        return null;
    }
}
