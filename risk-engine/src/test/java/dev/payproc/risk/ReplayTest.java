package dev.payproc.risk;

import static dev.payproc.core.model.DecisionStatus.APPROVED;
import static dev.payproc.core.model.DecisionStatus.CHALLENGE;
import static dev.payproc.core.model.DecisionStatus.DECLINED;
import static dev.payproc.core.model.DecisionStatus.REVIEW;
import static dev.payproc.risk.Attempt.card;
import static dev.payproc.risk.Attempt.settings;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.payproc.core.model.Authorization;
import dev.payproc.core.model.CardholderVerification;
import dev.payproc.core.model.Decision;
import dev.payproc.core.model.DecisionStatus;
import dev.payproc.core.model.EntryMode;
import dev.payproc.core.model.Reason;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Rebuilding state from the ledger at start: a limit reached before a restart is still reached after it. */
class ReplayTest {
    private static final long NOW = 1_000_000_000_000L;

    private final RiskEngine engine = new RiskEngine(RiskSettings.defaults());

    /** The ledger row of {@code attempt} decided at {@code atMillis}. */
    private static HistoricalAttempt row(Attempt attempt, boolean approved, long atMillis) {
        Authorization a = attempt.auth();
        return new HistoricalAttempt(
                a.card().fingerprint(),
                a.merchantId(),
                a.terminalId(),
                a.amount(),
                a.currency(),
                a.merchantCountry(),
                a.entryMode(),
                approved,
                atMillis);
    }

    @Test
    void aCardWithFiveReplayedAttemptsIsDeclinedOnTheSixth() {
        for (int i = 5; i >= 1; i--) engine.replay(row(card("v"), true, NOW - i * 1_000), NOW);
        Decision d = card("v").decide(engine, NOW);
        assertEquals(DECLINED, d.status());
        assertEquals(List.of(new Reason("VELOCITY_CARD", "6 attempts in 60s (limit 5)")), d.reasons());
        assertEquals(APPROVED, card("w").decide(engine, NOW).status(), "other cards are unaffected");
    }

    @Test
    void dailyCountsCarryOver() {
        long step = 15_000; // under the card velocity limit
        for (int i = 50; i >= 1; i--) engine.replay(row(card("d").amount(100), i % 2 == 0, NOW - i * step), NOW);
        assertEquals(
                List.of(new Reason("DAILY_COUNT_CARD", "51 attempts in 24h (limit 50)")),
                card("d").amount(100).decide(engine, NOW).reasons(),
                "approved or not, every attempt counts");
    }

    @Test
    void dailySpendCarriesOverAndOnlyApprovedAmountsCount() {
        for (int i = 0; i < 4; i++)
            engine.replay(row(card("s").amount(475_000), true, NOW - 3_600_000 + i * 61_000L), NOW);
        engine.replay(row(card("s").amount(500_000), false, NOW - 60_000), NOW);
        Decision at = card("s").amount(100_000).decide(engine, NOW);
        assertEquals(
                APPROVED,
                at.status(),
                "1,900,000 approved + 100,000 is the limit; the declined 500,000 moved no money");
        assertEquals(
                List.of(new Reason("DAILY_AMOUNT_CARD", "2000001 EUR in 24h with this amount (limit 2000000)")),
                card("s").amount(1).decide(engine, NOW + 61_000).reasons());
    }

    @ParameterizedTest
    @CsvSource({
        "APPROVED, true",
        "REVIEW, true",
        "CAPTURED, true",
        "PARTIALLY_REFUNDED, true",
        "REFUNDED, true",
        "VOIDED, true",
        "EXPIRED, true",
        "DECLINED, false",
        "CHALLENGE, false"
    })
    void aLedgerStatusCountsAsSpendWhenItsDecisionApprovedFunds(String status, boolean spent) {
        assertEquals(spent, HistoricalAttempt.approvedFunds(status));
        engine.replay(row(card("r").amount(1_000_000), HistoricalAttempt.approvedFunds(status), NOW - 120_000), NOW);
        engine.replay(row(card("r").amount(1_000_000), HistoricalAttempt.approvedFunds(status), NOW - 61_000), NOW);
        Decision d = card("r").amount(1).decide(engine, NOW);
        assertEquals(spent ? DECLINED : APPROVED, d.status(), d.reasons().toString());
    }

    @Test
    void attemptsOlderThanTheHorizonAreIgnored() {
        long horizon = engine.rebuildHorizonMillis();
        assertEquals(86_400_000, horizon, "the daily windows are the longest by default");
        engine.replay(row(card("old"), true, NOW - horizon), NOW);
        assertEquals(0, engine.trackedCards());

        RiskEngine oncePerDay = new RiskEngine(settings("""
                {"version": 1, "daily": {"cardCount": 1}}"""));
        oncePerDay.replay(row(card("old"), true, NOW - horizon), NOW);
        oncePerDay.replay(row(card("recent"), true, NOW - horizon + 1), NOW);
        assertEquals(1, oncePerDay.trackedCards());
        assertEquals(APPROVED, card("old").decide(oncePerDay, NOW).status());
        assertEquals(
                List.of(new Reason("DAILY_COUNT_CARD", "2 attempts in 24h (limit 1)")),
                card("recent").decide(oncePerDay, NOW).reasons());
    }

    @Test
    void theHorizonIsTheLongestWindowOfAnyKind() {
        RiskEngine engine = new RiskEngine(settings("""
                {"version": 1, "merchants": {"m-9": {"velocity": {"merchant": {"limit": 10, "windowSeconds": 172800}}}}}"""));
        assertEquals(172_800_000, engine.rebuildHorizonMillis());
        engine.replay(row(card("a").merchant("m-9"), true, NOW - 100_000_000), NOW);
        engine.evictIdle(NOW);
        for (int i = 0; i < 9; i++) card("c" + i).merchant("m-9").decide(engine, NOW);
        assertEquals(
                List.of("VELOCITY_MERCHANT"),
                Attempt.codes(card("x").merchant("m-9").decide(engine, NOW)),
                "with the attempt replayed from a day ago, this is the eleventh in the merchant's two-day window");
    }

    @Test
    void aReplayedHistoryDecidesLikeTheLiveOne() {
        // Outcomes of every kind, two currencies, card-present and online, several terminals, an amount baseline.
        List<Attempt> history = new ArrayList<>();
        history.add(card("h").amount(45_000).currency("USD").entry(EntryMode.ECOMMERCE));
        for (int i = 0; i < 6; i++) history.add(card("h").amount(1_000 + i * 10).terminal("t-" + i % 3));
        history.add(card("h").country("FR"));
        history.add(card("h").amount(80_000).verification(CardholderVerification.NONE));
        history.add(card("h").amount(1_000_001));
        RiskEngine live = new RiskEngine(RiskSettings.defaults());
        RiskEngine rebuilt = new RiskEngine(RiskSettings.defaults());
        List<DecisionStatus> outcomes = new ArrayList<>();
        for (int i = 0; i < history.size(); i++) {
            long at = NOW - 700_000 + i * 61_000L;
            Decision d = history.get(i).decide(live, at);
            outcomes.add(d.status());
            rebuilt.replay(row(history.get(i), d.status().approvesFunds(), at), NOW);
        }
        assertEquals(
                List.of(
                        APPROVED, APPROVED, APPROVED, APPROVED, APPROVED, APPROVED, APPROVED, REVIEW, CHALLENGE,
                        DECLINED),
                outcomes);

        List<Attempt> next = List.of(
                card("h").amount(1_800),
                card("h").country("IT"),
                card("h").amount(46_000).currency("USD").entry(EntryMode.ECOMMERCE),
                card("h").terminal("t-2"));
        List<Decision> fromLive = next.stream().map(a -> a.decide(live, NOW)).toList();
        assertEquals(fromLive, next.stream().map(a -> a.decide(rebuilt, NOW)).toList());
        assertEquals(
                List.of(
                        List.of("IMPOSSIBLE_TRAVEL", "AMOUNT_ANOMALY"),
                        List.of("IMPOSSIBLE_TRAVEL"),
                        List.of(),
                        List.of("IMPOSSIBLE_TRAVEL")),
                fromLive.stream().map(Attempt::codes).toList(),
                "the baseline and the countries were rebuilt");
    }
}
