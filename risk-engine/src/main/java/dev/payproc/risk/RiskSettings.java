package dev.payproc.risk;

import java.util.Map;

/**
 * The tunables of the rule set in force. {@code amountLimits} maps a currency to the largest single
 * authorization (minor units); a currency without an entry has no single-amount limit. Score bands turn
 * the summed points into an outcome when no hard rule decides.
 */
public record RiskSettings(int version, Map<String, Long> amountLimits, int cardVelocityLimit,
                           long cardVelocityWindowMillis, int declineScore, int reviewScore) {
    public RiskSettings {
        amountLimits = Map.copyOf(amountLimits);
        if (cardVelocityLimit < 1) throw new IllegalArgumentException("cardVelocityLimit must be at least 1");
        if (cardVelocityWindowMillis < 1) throw new IllegalArgumentException("cardVelocityWindowMillis must be positive");
        if (reviewScore > declineScore) throw new IllegalArgumentException("reviewScore must not exceed declineScore");
    }

    /** 10,000.00 per authorization in the major currencies; more than 5 attempts per card in 60 s. */
    public static RiskSettings defaults() {
        return new RiskSettings(1, Map.of("EUR", 1_000_000L, "USD", 1_000_000L, "GBP", 1_000_000L, "CHF", 1_000_000L),
                5, 60_000, 800, 500);
    }
}
