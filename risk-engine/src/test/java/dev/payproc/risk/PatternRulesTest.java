package dev.payproc.risk;

import static dev.payproc.core.model.DecisionStatus.APPROVED;
import static dev.payproc.core.model.DecisionStatus.DECLINED;
import static dev.payproc.core.model.DecisionStatus.REVIEW;
import static dev.payproc.risk.Attempt.card;
import static dev.payproc.risk.Attempt.codes;
import static dev.payproc.risk.Attempt.reasons;
import static dev.payproc.risk.Attempt.settings;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.payproc.core.model.Decision;
import dev.payproc.core.model.EntryMode;
import dev.payproc.core.model.Reason;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Rules over who and where: blocklists, impossible travel, amount anomalies, structuring. */
class PatternRulesTest {
    private static final String BAD_TOKEN = "tok_BADBADBADBADBADBADBADBAD";
    private static final String BAD_FINGERPRINT = "0123456789abcdef0123456789abcdef";

    private final RiskEngine engine = new RiskEngine(RiskSettings.defaults());

    static Stream<Arguments> blocklisted() {
        return Stream.of(
                Arguments.of(card("a").token(BAD_TOKEN), "blocklisted: card token"),
                Arguments.of(card(BAD_FINGERPRINT), "blocklisted: card fingerprint"),
                Arguments.of(card("b").pan("4000000000000002"), "blocklisted: BIN 400000"),
                Arguments.of(card("b2").pan("378282246310005"), "blocklisted: BIN 378282"),
                Arguments.of(card("c").pan("4111112233334444"), "blocklisted: BIN 4111112"),
                Arguments.of(card("d").pan("5555555555554444"), "blocklisted: BIN 55555555"),
                Arguments.of(card("d2").pan("5555555512345678901"), "blocklisted: BIN 55555555"),
                Arguments.of(card("e").merchant("m-bad"), "blocklisted: merchant m-bad"),
                Arguments.of(card("f").country("KP"), "blocklisted: merchant country KP"),
                Arguments.of(card("g").mcc("7995"), "blocklisted: MCC 7995"),
                Arguments.of(card("h").token(BAD_TOKEN).country("KP"), "blocklisted: card token, merchant country KP"));
    }

    @ParameterizedTest
    @MethodSource("blocklisted")
    void aBlocklistMatchDeclinesAndSaysWhichList(Attempt attempt, String message) {
        Decision d = attempt.decide(blocklisting(), 0);
        assertEquals(DECLINED, d.status());
        assertEquals(List.of(new Reason("BLOCKLIST", message)), d.reasons());
        assertEquals(1000, d.score());
    }

    @Test
    void nearMissesAreNotBlocklisted() {
        RiskEngine engine = blocklisting();
        // 41111111 shares only six digits with the 7-digit entry 4111112, 55555554 only seven with 55555555; a PAN
        // under 16 digits has a 6-digit BIN, so longer entries never match it.
        for (Attempt a : List.of(
                card("ok"),
                card("ok2").pan("5555555455554444"),
                card("ok3").token("tok_GOODGOODGOODGOODGOODGOOD"),
                card("ok4").pan("411111223333444"))) {
            assertEquals(List.of(), a.decide(engine, 0).reasons());
        }
    }

    private static RiskEngine blocklisting() {
        return new RiskEngine(settings("""
                {"version": 1, "blocklist": {"cardTokens": ["tok_BADBADBADBADBADBADBADBAD"], "cardFingerprints": ["0123456789abcdef0123456789abcdef"],
                 "bins": ["400000", "378282", "4111112", "55555555"], "merchantIds": ["m-bad"], "merchantCountries": ["KP"],
                 "mccs": ["7995"]}}"""));
    }

    @Test
    void impossibleTravelReviewsACardPresentInTwoCountriesWithinTheWindow() {
        card("t1").country("DE").decide(engine, 0);
        Decision d = card("t1").country("FR").decide(engine, 600_000);
        assertEquals(REVIEW, d.status());
        assertEquals(
                List.of(new Reason("IMPOSSIBLE_TRAVEL", "card used in DE 10min ago, now in FR (window 30min)")),
                d.reasons());
        assertEquals(300, d.score());
    }

    @Test
    void impossibleTravelAtAndJustInsideTheWindowEdge() {
        card("t2").country("DE").decide(engine, 0);
        assertEquals(
                List.of(), card("t2").country("FR").decide(engine, 1_800_000).reasons(), "30 min apart is possible");
        card("t3").country("DE").decide(engine, 0);
        assertEquals(
                List.of("IMPOSSIBLE_TRAVEL"), codes(card("t3").country("FR").decide(engine, 1_799_999)));
    }

    @Test
    void onlineAttemptsDoNotPlaceTheCard() {
        card("t4").country("DE").entry(EntryMode.ECOMMERCE).decide(engine, 0);
        assertEquals(List.of(), card("t4").country("FR").decide(engine, 60_000).reasons());
        assertEquals(
                List.of(),
                card("t4")
                        .country("IE")
                        .entry(EntryMode.ECOMMERCE)
                        .decide(engine, 120_000)
                        .reasons());
    }

    @Test
    void amountAnomalyAtAndJustPastTheZScoreThreshold() {
        // Five equal amounts: no variance, so the standard deviation is the 10% floor, 100.
        history("z1", 5, 1_000);
        history("z2", 5, 1_000);
        assertEquals(
                List.of(), card("z1").amount(1_400).decide(engine, 1_000_000).reasons(), "z = 4.00 is the limit");
        Decision d = card("z2").amount(1_401).decide(engine, 1_000_000);
        assertEquals(REVIEW, d.status());
        assertEquals(
                List.of(new Reason(
                        "AMOUNT_ANOMALY",
                        "amount 1401 EUR is 4.01 standard deviations above this card's mean of 1000 (limit 4.00)")),
                d.reasons());
        assertEquals(300, d.score());
    }

    @Test
    void amountAnomalyUsesTheWeightedVariance() {
        RiskEngine engine = new RiskEngine(settings("""
                {"version": 1, "amountAnomaly": {"alpha": 0.5, "minHistory": 2, "minStdDevPercent": 0}}"""));
        // 1000 then 2000 with alpha 0.5: mean 1500, variance 250000, standard deviation 500.
        for (String c : List.of("w1", "w2")) {
            card(c).amount(1_000).decide(engine, 0);
            card(c).amount(2_000).decide(engine, 61_000);
        }
        assertEquals(List.of(), card("w1").amount(3_500).decide(engine, 122_000).reasons());
        assertEquals(
                List.of(new Reason(
                        "AMOUNT_ANOMALY",
                        "amount 3600 EUR is 4.20 standard deviations above this card's mean of 1500 (limit 4.00)")),
                card("w2").amount(3_600).decide(engine, 122_000).reasons());
    }

    @Test
    void amountAnomalyNeedsTheMinimumHistory() {
        history("z3", 4, 1_000);
        assertEquals(
                List.of(), card("z3").amount(50_000).decide(engine, 1_000_000).reasons());
    }

    @Test
    void aFirstSeenCardWithALargeAmountOnlyAddsPoints() {
        assertEquals(List.of(), card("f1").amount(99_999).decide(engine, 0).reasons());
        Decision d = card("f2").amount(100_000).decide(engine, 0);
        assertEquals(APPROVED, d.status());
        assertEquals(
                List.of(new Reason(
                        "AMOUNT_ANOMALY", "no spending history for this card; 100000 EUR is large (from 100000)")),
                d.reasons());
        assertEquals(200, d.score());
    }

    @Test
    void structuringReviewsTheThirdAmountJustUnderTheStepUpThreshold() {
        card("s1").amount(45_000).decide(engine, 0); // the bottom of the 10% band
        Decision second = card("s1").amount(49_999).decide(engine, 61_000);
        assertEquals(List.of(), second.reasons());
        Decision third = card("s1").amount(50_000).decide(engine, 122_000);
        assertEquals(REVIEW, third.status());
        assertEquals(
                List.of(new Reason(
                        "STRUCTURING",
                        "3 amounts in 24h within 10% under the step-up threshold of 50000 EUR (flagged from 3)")),
                third.reasons());
    }

    @Test
    void amountsBelowTheBandAreNotStructuring() {
        card("s2").amount(44_999).decide(engine, 0);
        card("s2").amount(49_999).decide(engine, 61_000);
        assertEquals(
                List.of(), card("s2").amount(50_000).decide(engine, 122_000).reasons());
    }

    @Test
    void structuringUnderThePerAuthorizationLimit() {
        RiskEngine engine = new RiskEngine(settings("""
                {"version": 1, "daily": {"cardAmount": {"EUR": 5000000}}}"""));
        card("s3").amount(900_000).decide(engine, 0);
        card("s3").amount(950_000).decide(engine, 61_000);
        Decision third = card("s3").amount(1_000_000).decide(engine, 122_000);
        assertEquals(REVIEW, third.status());
        assertEquals(
                List.of(
                        new Reason(
                                "STRUCTURING",
                                "3 amounts in 24h within 10% under the per-authorization limit of 1000000 EUR (flagged from 3)")),
                reasons(third, "STRUCTURING"));
        assertFalse(codes(third).contains("AMOUNT_LIMIT"));
    }

    private void history(String card, int count, long amount) {
        for (int i = 0; i < count; i++)
            assertEquals(
                    APPROVED,
                    card(card).amount(amount).decide(engine, i * 61_000L).status());
    }
}
