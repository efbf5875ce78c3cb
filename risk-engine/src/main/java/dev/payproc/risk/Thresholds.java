package dev.payproc.risk;

import dev.payproc.core.model.Currencies;
import dev.payproc.core.port.RiskRules.Violation;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Every threshold of the rule set as one merchant sees it. Amounts are minor units per currency, and every
 * amount map names every accepted currency ({@link #validate} insists), so no amount rule is off for any of
 * them; rules never convert between currencies (a EUR daily limit sums EUR amounts only). Windows are in
 * seconds. The records hold data only; {@link #validate} names what is wrong by JSON path, so the document
 * codec and the constructor of {@link RiskSettings} share one set of checks.
 */
public record Thresholds(
        Map<String, Long> amountLimit,
        Daily daily,
        Velocity velocity,
        Travel impossibleTravel,
        Anomaly amountAnomaly,
        Map<String, Long> stepUp,
        Structuring structuring,
        Map<String, Long> largeValue,
        ScoreBands scoreBands) {
    /** Count limits size the per-card, terminal and merchant rings, so they are bounded. */
    private static final int MAX_COUNT = 1_000_000;
    /** The longest window also bounds how long an idle card is remembered. */
    private static final int MAX_WINDOW_SECONDS = 7 * 86_400;
    /** Keeps sums and band arithmetic far from overflow. */
    private static final long MAX_AMOUNT = 1_000_000_000_000_000L;

    public Thresholds {
        amountLimit = Map.copyOf(amountLimit);
        stepUp = Map.copyOf(stepUp);
        largeValue = Map.copyOf(largeValue);
        Objects.requireNonNull(daily);
        Objects.requireNonNull(velocity);
        Objects.requireNonNull(impossibleTravel);
        Objects.requireNonNull(amountAnomaly);
        Objects.requireNonNull(structuring);
        Objects.requireNonNull(scoreBands);
    }

    /** {@code DAILY_COUNT_CARD} and {@code DAILY_AMOUNT_CARD}: attempts and approved spend per card. */
    public record Daily(int windowSeconds, int cardCount, Map<String, Long> cardAmount) {
        public Daily {
            cardAmount = Map.copyOf(cardAmount);
        }

        public long millis() {
            return windowSeconds * 1000L;
        }
    }

    /** At most {@code limit} attempts within the window; the one after is declined. */
    public record Window(int limit, int windowSeconds) {
        public long millis() {
            return windowSeconds * 1000L;
        }
    }

    public record Velocity(Window card, Window terminal, Window merchant) {}

    /** {@code IMPOSSIBLE_TRAVEL}: card-present attempts in two countries within the window. */
    public record Travel(int windowSeconds) {
        public long millis() {
            return windowSeconds * 1000L;
        }
    }

    /**
     * {@code AMOUNT_ANOMALY}: z-score of an amount against the card's exponentially weighted mean and
     * variance (weight {@code alpha}) once it has {@code minHistory} approved amounts; the standard deviation
     * is floored at {@code minStdDevPercent} of the mean, so a card that always pays the same is not flagged
     * for a few cents more. A card with no history paying at least {@code firstSeenLarge} gets
     * {@code firstSeenPoints} without a forced outcome.
     */
    public record Anomaly(
            double alpha,
            int minHistory,
            double zScore,
            int minStdDevPercent,
            Map<String, Long> firstSeenLarge,
            int firstSeenPoints) {
        public Anomaly {
            firstSeenLarge = Map.copyOf(firstSeenLarge);
        }
    }

    /** {@code STRUCTURING}: {@code count} approved amounts within {@code bandPercent} under a threshold. */
    public record Structuring(int count, int bandPercent, int windowSeconds) {
        public long millis() {
            return windowSeconds * 1000L;
        }
    }

    /** Summed points at or above {@code review} are REVIEW, at or above {@code decline} DECLINED. */
    public record ScoreBands(int review, int decline) {}

    /** The major currencies, near parity, which keep the one figure the defaults have always given them. */
    private static final Set<String> MAJOR = Set.of("EUR", "USD", "GBP", "CHF");

    /**
     * 10,000.00 per authorization and 20,000.00 or 50 attempts per card a day in the major currencies;
     * more than 5 attempts per card, 120 per terminal or 6,000 per merchant in 60 s; step-up above 500.00.
     * Every other accepted currency gets these amounts converted ({@link #everyCurrency}).
     */
    public static Thresholds defaults() {
        return new Thresholds(
                everyCurrency(1_000_000),
                new Daily(86_400, 50, everyCurrency(2_000_000)),
                new Velocity(new Window(5, 60), new Window(120, 60), new Window(6_000, 60)),
                new Travel(1_800),
                new Anomaly(0.1, 5, 4.0, 10, everyCurrency(100_000), 200),
                everyCurrency(50_000),
                new Structuring(3, 10, 86_400),
                everyCurrency(1_000_000),
                new ScoreBands(500, 800));
    }

    /**
     * {@code euroCents} in every accepted currency: as is in the major ones, elsewhere at the approximate rate of
     * {@link Currencies#perEuro} in the currency's own minor unit (JPY 0 decimals, BHD 3), rounded to two
     * significant digits (10,000.00 EUR is 1,700,000 JPY).
     */
    private static Map<String, Long> everyCurrency(long euroCents) {
        Map<String, Long> out = new HashMap<>();
        for (String code : Currencies.accepted()) {
            if (MAJOR.contains(code)) {
                out.put(code, euroCents);
                continue;
            }
            double minor = euroCents / 100.0 * Currencies.perEuro(code) * Math.pow(10, Currencies.exponent(code));
            double step = Math.pow(10, Math.max(0, Math.floor(Math.log10(minor)) - 1));
            out.put(code, Math.max(1, Math.round(minor / step) * (long) step));
        }
        return out;
    }

    /** Adds what is wrong to {@code out}, each field prefixed with {@code at}. */
    void validate(String at, List<Violation> out) {
        amounts(out, at + "amountLimit", amountLimit);
        range(out, at + "daily.windowSeconds", daily.windowSeconds(), 1, MAX_WINDOW_SECONDS);
        range(out, at + "daily.cardCount", daily.cardCount(), 1, MAX_COUNT);
        amounts(out, at + "daily.cardAmount", daily.cardAmount());
        window(out, at + "velocity.card.", velocity.card());
        window(out, at + "velocity.terminal.", velocity.terminal());
        window(out, at + "velocity.merchant.", velocity.merchant());
        range(out, at + "impossibleTravel.windowSeconds", impossibleTravel.windowSeconds(), 1, MAX_WINDOW_SECONDS);
        if (!(amountAnomaly.alpha() > 0 && amountAnomaly.alpha() <= 1)) {
            out.add(new Violation(at + "amountAnomaly.alpha", "must be greater than 0 and at most 1"));
        }
        range(out, at + "amountAnomaly.minHistory", amountAnomaly.minHistory(), 1, 1_000);
        if (!(amountAnomaly.zScore() > 0 && amountAnomaly.zScore() <= 1_000)) {
            out.add(new Violation(at + "amountAnomaly.zScore", "must be greater than 0 and at most 1000"));
        }
        range(out, at + "amountAnomaly.minStdDevPercent", amountAnomaly.minStdDevPercent(), 0, 100);
        amounts(out, at + "amountAnomaly.firstSeenLarge", amountAnomaly.firstSeenLarge());
        range(out, at + "amountAnomaly.firstSeenPoints", amountAnomaly.firstSeenPoints(), 0, 1_000);
        amounts(out, at + "stepUp", stepUp);
        range(out, at + "structuring.count", structuring.count(), 2, MAX_COUNT);
        range(out, at + "structuring.bandPercent", structuring.bandPercent(), 1, 50);
        range(out, at + "structuring.windowSeconds", structuring.windowSeconds(), 1, MAX_WINDOW_SECONDS);
        amounts(out, at + "largeValue", largeValue);
        range(out, at + "scoreBands.review", scoreBands.review(), 1, 1_000);
        range(out, at + "scoreBands.decline", scoreBands.decline(), 1, 1_000);
        if (scoreBands.review() > scoreBands.decline()) {
            out.add(new Violation(at + "scoreBands.review", "must not exceed scoreBands.decline"));
        }
    }

    private static void window(List<Violation> out, String at, Window w) {
        range(out, at + "limit", w.limit(), 1, MAX_COUNT);
        range(out, at + "windowSeconds", w.windowSeconds(), 1, MAX_WINDOW_SECONDS);
    }

    private static void amounts(List<Violation> out, String field, Map<String, Long> byCurrency) {
        new TreeMap<>(byCurrency).forEach((currency, amount) -> {
            if (Currencies.exponent(currency) < 0) {
                String why = Currencies.whyRefused(currency);
                out.add(new Violation(field + "." + currency, why != null ? why : "is not an ISO 4217 currency code"));
            } else {
                range(out, field + "." + currency, amount, 1, MAX_AMOUNT);
            }
        });
        for (String currency : new TreeSet<>(Currencies.accepted())) {
            if (!byCurrency.containsKey(currency)) {
                out.add(new Violation(
                        field + "." + currency, "is required: without it the rule would be off for " + currency));
            }
        }
    }

    private static void range(List<Violation> out, String field, long value, long min, long max) {
        if (value < min) out.add(new Violation(field, "must be at least " + min));
        else if (value > max) out.add(new Violation(field, "must be at most " + max));
    }
}
