package dev.payproc.risk;

import dev.payproc.core.port.RiskRules.Violation;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * {@code BLOCKLIST}: attempts matching any list are declined. {@code bins} are 6-8 digit prefixes of the
 * card's BIN ({@code CardOnFile.bin}: a 7- or 8-digit entry never matches a PAN shorter than 16 digits). Every
 * entry must have its list's exact format (tokens and fingerprints as the tokenizer makes them), so no list can
 * ever hold a full card number. Global, not per merchant.
 */
public record Blocklist(
        Set<String> cardTokens,
        Set<String> cardFingerprints,
        Set<String> bins,
        Set<String> merchantIds,
        Set<String> merchantCountries,
        Set<String> mccs) {
    public static final Blocklist NONE = new Blocklist(Set.of(), Set.of(), Set.of(), Set.of(), Set.of(), Set.of());

    private static final Pattern TOKEN = Pattern.compile("tok_[A-Za-z0-9_-]{24}");
    private static final Pattern FINGERPRINT = Pattern.compile("[0-9a-f]{32}");
    private static final Pattern BIN = Pattern.compile("[0-9]{6,8}");
    private static final Pattern COUNTRY = Pattern.compile("[A-Z]{2}");
    private static final Pattern MCC = Pattern.compile("[0-9]{4}");

    public Blocklist {
        cardTokens = Set.copyOf(cardTokens);
        cardFingerprints = Set.copyOf(cardFingerprints);
        bins = Set.copyOf(bins);
        merchantIds = Set.copyOf(merchantIds);
        merchantCountries = Set.copyOf(merchantCountries);
        mccs = Set.copyOf(mccs);
    }

    /** Messages never echo entries: a mistyped entry might be card data. */
    void validate(String at, List<Violation> out) {
        check(out, at + "cardTokens", cardTokens, TOKEN, "entries must be card tokens (tok_ and 24 characters)");
        check(
                out,
                at + "cardFingerprints",
                cardFingerprints,
                FINGERPRINT,
                "entries must be card fingerprints (32 hex digits)");
        check(out, at + "bins", bins, BIN, "entries must be 6 to 8 digits (a BIN prefix, never a full card number)");
        check(
                out,
                at + "merchantIds",
                merchantIds,
                RiskSettings.MERCHANT_ID,
                "entries must be 1-64 characters of [A-Za-z0-9._:-]");
        check(
                out,
                at + "merchantCountries",
                merchantCountries,
                COUNTRY,
                "entries must be ISO 3166 alpha-2 codes such as DE");
        check(out, at + "mccs", mccs, MCC, "entries must be 4 digits");
    }

    private static void check(List<Violation> out, String field, Set<String> entries, Pattern valid, String message) {
        if (!entries.stream().allMatch(e -> valid.matcher(e).matches())) out.add(new Violation(field, message));
    }
}
