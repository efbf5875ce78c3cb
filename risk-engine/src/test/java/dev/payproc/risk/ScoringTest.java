package dev.payproc.risk;

import static dev.payproc.core.model.DecisionStatus.APPROVED;
import static dev.payproc.core.model.DecisionStatus.CHALLENGE;
import static dev.payproc.core.model.DecisionStatus.DECLINED;
import static dev.payproc.risk.Attempt.card;
import static dev.payproc.risk.Attempt.codes;
import static dev.payproc.risk.Attempt.settings;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.payproc.core.model.CardholderVerification;
import dev.payproc.core.model.Decision;
import dev.payproc.core.model.DecisionStatus;
import dev.payproc.core.model.Reason;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** How rules combine: score bands, the strictest outcome, and per-merchant thresholds. */
class ScoringTest {
    @ParameterizedTest
    @CsvSource({"499, APPROVED", "500, REVIEW", "799, REVIEW", "800, DECLINED"})
    void scoreBandsTurnPointsIntoAnOutcome(int points, DecisionStatus expected) {
        // The first-seen flag forces nothing, so its points alone decide through the bands (500 and 800).
        RiskEngine engine = new RiskEngine(settings("""
                {"version": 1, "amountAnomaly": {"firstSeenPoints": %d}}""".formatted(points)));
        Decision d = card("b").amount(100_000).decide(engine, 0);
        assertEquals(List.of("AMOUNT_ANOMALY"), codes(d));
        assertEquals(points, d.score());
        assertEquals(expected, d.status());
    }

    @Test
    void aChallengeIsStricterThanAReview() {
        RiskEngine engine = new RiskEngine(RiskSettings.defaults());
        card("c").country("DE").decide(engine, 0);
        Decision d = card("c")
                .country("FR")
                .amount(50_001)
                .verification(CardholderVerification.NONE)
                .decide(engine, 60_000);
        assertEquals(CHALLENGE, d.status());
        assertEquals(List.of("STEP_UP", "IMPOSSIBLE_TRAVEL"), codes(d));
        assertEquals(400, d.score());
    }

    @Test
    void aScoreBandStricterThanTheForcedOutcomeWins() {
        RiskEngine engine = new RiskEngine(settings("""
                {"version": 1, "scoreBands": {"review": 100, "decline": 300}}"""));
        card("c").country("DE").decide(engine, 0);
        Decision d = card("c").country("FR").decide(engine, 60_000);
        assertEquals(List.of("IMPOSSIBLE_TRAVEL"), codes(d), "a REVIEW rule whose 300 points reach the decline band");
        assertEquals(DECLINED, d.status());
    }

    @Test
    void everyRuleThatFiresIsListedAndTheScoreIsCapped() {
        RiskEngine engine = new RiskEngine(RiskSettings.defaults());
        Decision d = card("n").amount(1_000_001).decide(engine, 0);
        assertEquals(
                List.of(
                        new Reason("AMOUNT_LIMIT", "amount 1000001 EUR exceeds the limit of 1000000 per authorization"),
                        new Reason(
                                "AMOUNT_ANOMALY",
                                "no spending history for this card; 1000001 EUR is large (from 100000)"),
                        new Reason(
                                "LARGE_VALUE",
                                "amount 1000001 EUR reaches the large-value reporting threshold of 1000000")),
                d.reasons());
        assertEquals(700, d.score());
        assertEquals(DECLINED, d.status());
        Decision capped = card("n2").amount(1_000_001).country("KP").decide(new RiskEngine(settings("""
                {"version": 1, "blocklist": {"merchantCountries": ["KP"]}}""")), 0);
        assertEquals(1000, capped.score());
    }

    @Test
    void aMerchantOverrideChangesOnlyWhatItNames() {
        RiskEngine engine = new RiskEngine(settings("""
                {"version": 3, "merchants": {"m-big": {"amountLimit": {"EUR": 5000000, "GBP": 2000000},
                                                        "velocity": {"card": {"limit": 10}}}}}"""));
        assertEquals(DECLINED, card("a").amount(2_000_000).decide(engine, 0).status());
        Decision big = card("b").merchant("m-big").amount(2_000_000).decide(engine, 0);
        assertEquals(APPROVED, big.status(), big.reasons().toString());
        assertEquals(3, big.ruleSetVersion());
        assertEquals(
                List.of(new Reason(
                        "AMOUNT_LIMIT", "amount 1000001 USD exceeds the limit of 1000000 per authorization")),
                Attempt.reasons(
                        card("c")
                                .merchant("m-big")
                                .currency("USD")
                                .amount(1_000_001)
                                .decide(engine, 0),
                        "AMOUNT_LIMIT"),
                "the USD limit is inherited from the defaults");
        assertFalse(
                codes(card("d")
                                .merchant("m-big")
                                .currency("GBP")
                                .amount(1_500_000)
                                .decide(engine, 0))
                        .contains("AMOUNT_LIMIT"),
                "the merchant's GBP limit applies");

        for (int i = 0; i < 10; i++)
            assertEquals(
                    APPROVED,
                    card("v").merchant("m-big").amount(100).decide(engine, i).status());
        assertEquals(
                List.of(new Reason("VELOCITY_CARD", "11 attempts in 60s (limit 10)")),
                card("v").merchant("m-big").amount(100).decide(engine, 10).reasons());
        assertEquals(
                List.of("VELOCITY_CARD"),
                codes(card("v").amount(100).decide(engine, 11)),
                "the same card at another merchant meets the default limit");
    }
}
