package dev.payproc.risk;

import dev.payproc.core.model.Authorization;
import dev.payproc.core.model.CaptureMode;
import dev.payproc.core.model.CardOnFile;
import dev.payproc.core.model.CardholderVerification;
import dev.payproc.core.model.Decision;
import dev.payproc.core.model.DecisionStatus;
import dev.payproc.core.model.EntryMode;
import dev.payproc.core.model.Reason;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

public class RiskEngineTest {
    public static Authorization auth(String fingerprint, long amount, String currency) {
        CardOnFile card = new CardOnFile("tok_x", fingerprint, "411111******1111", "12/30", null, null);
        return new Authorization("m-1", "t-1", amount, currency, card, EntryMode.CHIP, "5411", "DE",
                CardholderVerification.PIN, CaptureMode.AUTO);
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
        RiskEngine engine = new RiskEngine(RiskSettings.defaults());
        assertEquals(DecisionStatus.APPROVED, engine.decide(auth("a1", 1_000_000, "EUR"), 1_000).status());
        Decision d = engine.decide(auth("a2", 1_000_001, "EUR"), 1_000);
        assertEquals(DecisionStatus.DECLINED, d.status());
        assertEquals(List.of(new Reason("AMOUNT_LIMIT", "amount 1000001 EUR exceeds the limit of 1000000 per authorization")), d.reasons());
        assertEquals(500, d.score());
        // A currency without a configured limit has none.
        assertEquals(DecisionStatus.APPROVED, engine.decide(auth("a3", 500_000_000, "JPY"), 1_000).status());
    }

    @Test
    void velocityDeclinesTheSixthAttemptInTheWindowAndForgetsOldOnes() {
        RiskEngine engine = new RiskEngine(RiskSettings.defaults());
        long t = 1_000_000;
        for (int i = 0; i < 5; i++) assertEquals(DecisionStatus.APPROVED, engine.decide(auth("v", 100, "EUR"), t + i).status());
        Decision sixth = engine.decide(auth("v", 100, "EUR"), t + 5);
        assertEquals(DecisionStatus.DECLINED, sixth.status());
        assertEquals(List.of(new Reason("VELOCITY_CARD", "6 attempts in 60s (limit 5)")), sixth.reasons());
        // Other cards are unaffected.
        assertEquals(DecisionStatus.APPROVED, engine.decide(auth("w", 100, "EUR"), t + 6).status());
        // 60 s after the first attempts they leave the window (the declined sixth still counts).
        Decision later = engine.decide(auth("v", 100, "EUR"), t + 60_004);
        assertEquals(DecisionStatus.APPROVED, later.status(), later.reasons().toString());
    }

    @Test
    void theStrictestOutcomeWinsAndScoresAdd() {
        RiskEngine engine = new RiskEngine(RiskSettings.defaults());
        for (int i = 0; i < 5; i++) engine.decide(auth("both", 100, "EUR"), i);
        Decision d = engine.decide(auth("both", 2_000_000, "EUR"), 10);
        assertEquals(DecisionStatus.DECLINED, d.status());
        assertEquals(List.of("AMOUNT_LIMIT", "VELOCITY_CARD"), d.reasons().stream().map(Reason::code).toList());
        assertEquals(900, d.score());
    }

    @Test
    void idleCardsAreEvicted() {
        RiskEngine engine = new RiskEngine(RiskSettings.defaults());
        engine.decide(auth("old", 100, "EUR"), 0);
        engine.decide(auth("new", 100, "EUR"), 59_000);
        assertEquals(1, engine.evictIdle(60_500));
        assertEquals(1, engine.trackedCards());
    }

    @Test
    void settingsAreValidated() {
        assertThrows(IllegalArgumentException.class, () -> new RiskSettings(1, Map.of(), 0, 60_000, 800, 500));
        assertThrows(IllegalArgumentException.class, () -> new RiskSettings(1, Map.of(), 5, 60_000, 400, 500));
    }
}
