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
import org.junit.jupiter.params.provider.EnumSource;

/** Count and amount limits: terminal and merchant velocity, daily count and spend, step-up, large value. */
class LimitRulesTest {
    private final RiskEngine engine = new RiskEngine(RiskSettings.defaults());

    @Test
    void terminalVelocityDeclinesThe121stAttemptOnOneTerminalInAMinute() {
        for (int i = 0; i < 120; i++)
            assertEquals(APPROVED, card("c" + i).decide(engine, i).status());
        Decision d = card("x").decide(engine, 120);
        assertEquals(DECLINED, d.status());
        assertEquals(
                List.of(new Reason("VELOCITY_TERMINAL", "121 attempts on terminal t-1 in 60s (limit 120)")),
                d.reasons());
        assertEquals(
                APPROVED, card("y").terminal("t-2").decide(engine, 121).status(), "other terminals are unaffected");
        // At 60.001 s the attempts at 0 and 1 ms have left the window: 119 remain (the declined one too), this is the
        // 120th.
        assertEquals(APPROVED, card("z").decide(engine, 60_001).status());
    }

    @Test
    void merchantVelocityDeclinesThe6001stAttemptAtOneMerchantInAMinute() {
        for (int i = 0; i < 6_000; i++) {
            assertEquals(
                    APPROVED,
                    card("c" + i)
                            .terminal("t-" + i % 100)
                            .decide(engine, i / 100)
                            .status());
        }
        Decision d = card("x").terminal("t-new").decide(engine, 60);
        assertEquals(DECLINED, d.status());
        assertEquals(
                List.of(new Reason("VELOCITY_MERCHANT", "6001 attempts at merchant m-1 in 60s (limit 6000)")),
                d.reasons());
        assertEquals(APPROVED, card("y").merchant("m-2").decide(engine, 61).status(), "other merchants are unaffected");
    }

    @Test
    void dailyCountDeclinesThe51stAttemptOfACardInADay() {
        long step = 15_000; // four attempts a minute: under the card velocity limit
        for (int i = 0; i < 50; i++)
            assertEquals(
                    APPROVED, card("d").amount(100).decide(engine, i * step).status());
        Decision d = card("d").amount(100).decide(engine, 50 * step);
        assertEquals(DECLINED, d.status());
        assertEquals(List.of(new Reason("DAILY_COUNT_CARD", "51 attempts in 24h (limit 50)")), d.reasons());
        // A day after the first two attempts they have left the window; the declined one still counts: 49 + this one.
        assertEquals(
                APPROVED,
                card("d").amount(100).decide(engine, 86_400_000 + step).status());
    }

    @Test
    void dailySpendDeclinesPastTheLimitInTheSameCurrency() {
        for (int i = 0; i < 4; i++) {
            Decision d = card("s").amount(500_000).decide(engine, i * 61_000L);
            assertEquals(APPROVED, d.status(), d.reasons().toString());
            assertFalse(codes(d).contains("DAILY_AMOUNT_CARD"), "2,000,000 is the limit, not past it");
        }
        Decision past = card("s").amount(1).decide(engine, 300_000);
        assertEquals(DECLINED, past.status());
        assertEquals(
                List.of(new Reason("DAILY_AMOUNT_CARD", "2000001 EUR in 24h with this amount (limit 2000000)")),
                past.reasons());
        assertEquals(
                APPROVED,
                card("s").amount(1_000).currency("USD").decide(engine, 310_000).status(),
                "USD spend is summed against the USD limit only");
    }

    @Test
    void declinedAmountsDoNotCountTowardDailySpend() {
        card("e").amount(1_000_000).decide(engine, 0);
        card("e").amount(900_000).decide(engine, 1_000);
        assertEquals(DECLINED, card("e").amount(200_000).decide(engine, 2_000).status());
        Decision d = card("e").amount(100_000).decide(engine, 3_000);
        assertEquals(
                APPROVED, d.status(), "1,900,000 approved + 100,000 is the limit; the declined 200,000 moved no money");
    }

    @Test
    void stepUpChallengesAnUnverifiedAmountAboveTheThreshold() {
        Decision at = card("s1")
                .amount(50_000)
                .verification(CardholderVerification.NONE)
                .decide(engine, 0);
        assertEquals(APPROVED, at.status());
        assertEquals(List.of(), at.reasons());
        Decision past = card("s2")
                .amount(50_001)
                .verification(CardholderVerification.NONE)
                .decide(engine, 0);
        assertEquals(CHALLENGE, past.status());
        assertEquals(
                List.of(new Reason("STEP_UP", "amount 50001 EUR above 50000 needs cardholder verification")),
                past.reasons());
        assertEquals(100, past.score());
    }

    @ParameterizedTest
    @EnumSource(
            value = CardholderVerification.class,
            names = {"PIN", "BIOMETRIC", "THREE_DS"})
    void theVerifiedRetryOfAChallengeIsApproved(CardholderVerification verified) {
        assertEquals(
                CHALLENGE,
                card("r")
                        .amount(80_000)
                        .verification(CardholderVerification.NONE)
                        .decide(engine, 0)
                        .status());
        Decision retry = card("r").amount(80_000).verification(verified).decide(engine, 5_000);
        assertEquals(APPROVED, retry.status());
        assertEquals(List.of(), retry.reasons());
    }

    @Test
    void challengedAttemptsCountTowardVelocity() {
        for (int i = 0; i < 5; i++) {
            assertEquals(
                    CHALLENGE,
                    card("p")
                            .amount(80_000)
                            .verification(CardholderVerification.NONE)
                            .decide(engine, i)
                            .status());
        }
        Decision retry = card("p").amount(80_000).decide(engine, 10);
        assertEquals(List.of(new Reason("VELOCITY_CARD", "6 attempts in 60s (limit 5)")), retry.reasons());
    }

    @Test
    void largeValueIsReportedWithoutChangingTheOutcome() {
        RiskEngine quiet = new RiskEngine(settings("""
                {"version": 1, "amountAnomaly": {"firstSeenLarge": {"EUR": 1000000000000000}}}"""));
        Decision below = card("l1").amount(999_999).decide(quiet, 0);
        assertEquals(List.of(), below.reasons());
        Decision at = card("l2").amount(1_000_000).decide(quiet, 0);
        assertEquals(DecisionStatus.APPROVED, at.status());
        assertEquals(0, at.score());
        assertEquals(
                List.of(new Reason(
                        "LARGE_VALUE", "amount 1000000 EUR reaches the large-value reporting threshold of 1000000")),
                at.reasons());
    }
}
