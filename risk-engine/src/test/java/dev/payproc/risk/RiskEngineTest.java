package dev.payproc.risk;

import static dev.payproc.risk.Attempt.settings;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.payproc.core.model.Authorization;
import dev.payproc.core.model.CaptureMode;
import dev.payproc.core.model.CardOnFile;
import dev.payproc.core.model.CardholderVerification;
import dev.payproc.core.model.Currencies;
import dev.payproc.core.model.Decision;
import dev.payproc.core.model.DecisionStatus;
import dev.payproc.core.model.EntryMode;
import dev.payproc.core.model.Reason;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

public class RiskEngineTest {
    private static final String MAX = "1000000000000000";

    public static Authorization auth(String fingerprint, long amount, String currency) {
        CardOnFile card = new CardOnFile("tok_x", fingerprint, "411111******1111", "41111111", "12/30", null, null);
        return new Authorization(
                "m-1",
                "t-1",
                amount,
                currency,
                card,
                EntryMode.CHIP,
                "5411",
                "DE",
                CardholderVerification.PIN,
                CaptureMode.AUTO);
    }

    @Test
    void approvesAnOrdinaryAuthorizationWithNoReasons() {
        Decision d = new RiskEngine(RiskSettings.defaults()).decide(auth("c1", 1250, "EUR"), 1_000);
        assertEquals(DecisionStatus.APPROVED, d.status());
        assertEquals(List.of(), d.reasons());
        assertEquals(0, d.score());
        assertEquals(1, d.ruleSetVersion());
    }

    @Test
    void amountLimitAtAndJustPastTheThreshold() {
        // The first-seen and large-value flags react to such amounts too (ScoringTest shows them together): lifted
        // here.
        RiskEngine engine = new RiskEngine(settings("""
                {"version": 1, "amountAnomaly": {"firstSeenLarge": {"EUR": %s}}, "largeValue": {"EUR": %s}}""".formatted(MAX, MAX)));
        assertEquals(
                DecisionStatus.APPROVED,
                engine.decide(auth("a1", 1_000_000, "EUR"), 1_000).status());
        Decision d = engine.decide(auth("a2", 1_000_001, "EUR"), 1_000);
        assertEquals(DecisionStatus.DECLINED, d.status());
        assertEquals(
                List.of(new Reason(
                        "AMOUNT_LIMIT", "amount 1000001 EUR exceeds the limit of 1000000 per authorization")),
                d.reasons());
        assertEquals(500, d.score());
    }

    @Test
    void everyAcceptedCurrencyHasALimitInItsOwnMinorUnit() {
        RiskEngine engine = new RiskEngine(RiskSettings.defaults());
        Decision yen = engine.decide(auth("y1", 999_999_999_999L, "JPY"), 1_000);
        assertEquals(DecisionStatus.DECLINED, yen.status());
        assertEquals(
                List.of(new Reason(
                        "AMOUNT_LIMIT", "amount 999999999999 JPY exceeds the limit of 1700000 per authorization")),
                yen.reasons().stream()
                        .filter(r -> r.code().equals("AMOUNT_LIMIT"))
                        .toList());
        // 10,000.00 EUR is about 1,700,000 JPY (no decimals) and 3,400.000 KWD (three): neither is off by 100x.
        assertEquals(
                DecisionStatus.APPROVED,
                engine.decide(auth("y2", 15_000, "JPY"), 1_000).status());
        assertEquals(
                DecisionStatus.DECLINED,
                engine.decide(auth("k1", 3_500_000, "KWD"), 1_000).status());
        assertEquals(
                DecisionStatus.APPROVED,
                engine.decide(auth("k2", 3_000, "KWD"), 1_000).status());
        Thresholds t = Thresholds.defaults();
        for (String code : Currencies.accepted()) {
            for (Map<String, Long> amounts : List.of(
                    t.amountLimit(),
                    t.daily().cardAmount(),
                    t.stepUp(),
                    t.largeValue(),
                    t.amountAnomaly().firstSeenLarge())) {
                assertTrue(amounts.containsKey(code), code);
            }
        }
    }

    @Test
    void velocityDeclinesTheSixthAttemptInTheWindowAndForgetsOldOnes() {
        RiskEngine engine = new RiskEngine(RiskSettings.defaults());
        long t = 1_000_000;
        for (int i = 0; i < 5; i++)
            assertEquals(
                    DecisionStatus.APPROVED,
                    engine.decide(auth("v", 100, "EUR"), t + i).status());
        Decision sixth = engine.decide(auth("v", 100, "EUR"), t + 5);
        assertEquals(DecisionStatus.DECLINED, sixth.status());
        assertEquals(List.of(new Reason("VELOCITY_CARD", "6 attempts in 60s (limit 5)")), sixth.reasons());
        // Other cards are unaffected.
        assertEquals(
                DecisionStatus.APPROVED,
                engine.decide(auth("w", 100, "EUR"), t + 6).status());
        // 60 s after the first attempts they leave the window (the declined sixth still counts).
        Decision later = engine.decide(auth("v", 100, "EUR"), t + 60_004);
        assertEquals(DecisionStatus.APPROVED, later.status(), later.reasons().toString());
    }

    @Test
    void theStrictestOutcomeWinsAndScoresAdd() {
        // Only the two rules under test may react to this amount: no daily spend limit, no anomaly yet, no report flag.
        RiskEngine engine = new RiskEngine(settings("""
                {"version": 1, "daily": {"cardAmount": {"EUR": %s}}, "amountAnomaly": {"minHistory": 6}, "largeValue": {"EUR": %s}}""".formatted(MAX, MAX)));
        for (int i = 0; i < 5; i++) engine.decide(auth("both", 100, "EUR"), i);
        Decision d = engine.decide(auth("both", 2_000_000, "EUR"), 10);
        assertEquals(DecisionStatus.DECLINED, d.status());
        assertEquals(
                List.of("AMOUNT_LIMIT", "VELOCITY_CARD"),
                d.reasons().stream().map(Reason::code).toList());
        assertEquals(900, d.score());
    }

    @Test
    void idleCardsAreEvicted() {
        // Every card window at 60 s: the longest window in use, so the eviction horizon, is 60 s.
        RiskEngine engine = new RiskEngine(settings("""
                {"version": 1, "daily": {"windowSeconds": 60}, "impossibleTravel": {"windowSeconds": 60},
                 "structuring": {"windowSeconds": 60}}"""));
        engine.decide(auth("old", 100, "EUR"), 0);
        engine.decide(auth("new", 100, "EUR"), 59_000);
        assertEquals(1, engine.evictIdle(60_500));
        assertEquals(1, engine.trackedCards());
    }

    @Test
    void cardsAreKeptForTheLongestWindowOfAnyMerchant() {
        RiskEngine engine = new RiskEngine(RiskSettings.defaults());
        engine.decide(auth("c", 100, "EUR"), 0);
        assertEquals(1, engine.evictIdle(86_399_999), "the daily windows are the longest by default");
        assertEquals(0, engine.evictIdle(86_400_000));

        engine.update(settings("""
                {"version": 2, "merchants": {"m-9": {"daily": {"windowSeconds": 172800}}}}"""));
        engine.decide(auth("c", 100, "EUR"), 0);
        assertEquals(1, engine.evictIdle(172_799_999), "one merchant's two-day window keeps every card two days");
        assertEquals(0, engine.evictIdle(172_800_000));
    }

    @Test
    void idleCardsAreAlsoDroppedWhileDeciding() {
        RiskEngine engine = new RiskEngine(RiskSettings.defaults());
        engine.decide(auth("a", 100, "EUR"), 0);
        engine.decide(auth("b", 100, "EUR"), 1);
        engine.decide(auth("c", 100, "EUR"), 86_400_000);
        assertEquals(2, engine.trackedCards(), "the decision at the horizon dropped the one idle card");
    }

    @Test
    void anUpdateTakesEffectOnTheNextDecisionAndKeepsHistory() {
        RiskEngine engine = new RiskEngine(RiskSettings.defaults());
        for (int i = 0; i < 3; i++) engine.decide(auth("u", 100, "EUR"), i);
        engine.update(settings("""
                {"version": 7, "velocity": {"card": {"limit": 3, "windowSeconds": 60}}}"""));
        Decision d = engine.decide(auth("u", 100, "EUR"), 10);
        assertEquals(List.of(new Reason("VELOCITY_CARD", "4 attempts in 60s (limit 3)")), d.reasons());
        assertEquals(7, d.ruleSetVersion());
        assertEquals(7, engine.settings().version());
    }

    @Test
    void settingsAreValidated() {
        Thresholds d = Thresholds.defaults();
        Thresholds.Velocity noCardVelocity = new Thresholds.Velocity(
                new Thresholds.Window(0, 60),
                d.velocity().terminal(),
                d.velocity().merchant());
        IllegalArgumentException limit = assertThrows(
                IllegalArgumentException.class,
                () -> new RiskSettings(1, with(d, noCardVelocity, d.scoreBands()), Map.of(), Blocklist.NONE));
        assertEquals("velocity.card.limit: must be at least 1", limit.getMessage());
        IllegalArgumentException bands = assertThrows(
                IllegalArgumentException.class,
                () -> new RiskSettings(
                        1, with(d, d.velocity(), new Thresholds.ScoreBands(500, 400)), Map.of(), Blocklist.NONE));
        assertEquals("scoreBands.review: must not exceed scoreBands.decline", bands.getMessage());
    }

    private static Thresholds with(Thresholds t, Thresholds.Velocity velocity, Thresholds.ScoreBands bands) {
        return new Thresholds(
                t.amountLimit(),
                t.daily(),
                velocity,
                t.impossibleTravel(),
                t.amountAnomaly(),
                t.stepUp(),
                t.structuring(),
                t.largeValue(),
                bands);
    }
}
