package dev.payproc.risk;

import dev.payproc.core.port.RiskRules.Violation;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The rule set in force: the default {@code thresholds}, the complete thresholds of each merchant that
 * overrides any (resolved when the settings are built, so a decision only looks its merchant up), and the
 * global {@link Blocklist}. {@code version} is stamped on every decision. Invalid settings are refused with
 * an {@link IllegalArgumentException}; {@link #violations} lists every problem without throwing.
 */
public record RiskSettings(int version, Thresholds thresholds, Map<String, Thresholds> merchants, Blocklist blocklist) {
    static final Pattern MERCHANT_ID = Pattern.compile("[A-Za-z0-9._:-]{1,64}");

    public RiskSettings {
        Objects.requireNonNull(thresholds);
        Objects.requireNonNull(blocklist);
        merchants = Map.copyOf(merchants);
        List<Violation> problems = violations(version, thresholds, merchants, blocklist);
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(
                    problems.get(0).field() + ": " + problems.get(0).message());
        }
    }

    /** Version 1 of the built-in thresholds, no merchant overrides, nothing blocklisted. */
    public static RiskSettings defaults() {
        return new RiskSettings(1, Thresholds.defaults(), Map.of(), Blocklist.NONE);
    }

    /** The thresholds that apply to one merchant's authorizations. */
    public Thresholds thresholdsFor(String merchantId) {
        Thresholds own = merchants.get(merchantId);
        return own == null ? thresholds : own;
    }

    /**
     * Everything wrong with these parts, by JSON path. A merchant's thresholds are reported only where they
     * differ from the defaults' own problems, so one bad default is not repeated for every merchant.
     */
    public static List<Violation> violations(
            int version, Thresholds defaults, Map<String, Thresholds> merchants, Blocklist blocklist) {
        List<Violation> out = new ArrayList<>();
        if (version < 1) out.add(new Violation("version", "must be at least 1"));
        List<Violation> inherited = new ArrayList<>();
        defaults.validate("", inherited);
        out.addAll(inherited);
        blocklist.validate("blocklist.", out);
        for (String id : new TreeSet<>(merchants.keySet())) {
            String at = "merchants." + id;
            if (!MERCHANT_ID.matcher(id).matches())
                out.add(new Violation(at, "must be 1-64 characters of [A-Za-z0-9._:-]"));
            List<Violation> own = new ArrayList<>();
            merchants.get(id).validate("", own);
            for (Violation v : own) {
                if (!inherited.contains(v)) out.add(new Violation(at + "." + v.field(), v.message()));
            }
        }
        return out;
    }
}
