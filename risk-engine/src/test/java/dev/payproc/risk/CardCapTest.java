package dev.payproc.risk;

import static dev.payproc.core.model.DecisionStatus.APPROVED;
import static dev.payproc.core.model.DecisionStatus.DECLINED;
import static dev.payproc.core.model.DecisionStatus.REVIEW;
import static dev.payproc.risk.Attempt.card;
import static dev.payproc.risk.Attempt.codes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.payproc.core.model.Authorization;
import dev.payproc.core.model.Decision;
import java.util.List;
import org.junit.jupiter.api.Test;

/** One merchant flooding random cards fills its own quota of card state, and no one else's. */
class CardCapTest {
    private static final long T0 = 1_000_000_000_000L;
    private static final int CAP = 1_000;

    private final RiskEngine engine = new RiskEngine(RiskSettings.defaults(), new ActivityBoard(), CAP);

    private static Attempt flood(int i) {
        return card("flood-" + i).merchant("m-flood").terminal("t-" + i % 100);
    }

    @Test
    void aFloodingMerchantCannotGrowTheTableBeyondItsCapWhileOtherMerchantsKeepTheirState() {
        for (int i = 0; i < 5; i++)
            assertEquals(
                    APPROVED,
                    card("regular").merchant("m-good").decide(engine, T0 + i).status());
        for (int i = 0; i < 3 * CAP; i++) {
            Decision d = flood(i).decide(engine, T0 + 10 + i * 10L);
            if (i < CAP) assertEquals(List.of(), codes(d), "card " + i);
            else assertEquals(List.of("CARD_UNTRACKED"), codes(d), "card " + i);
            if (i >= CAP) assertEquals(REVIEW, d.status(), "an untracked card is never approved unseen");
        }
        assertEquals(CAP + 1, engine.trackedCards());

        Decision sixth = card("regular").merchant("m-good").decide(engine, T0 + 40_000);
        assertEquals(DECLINED, sixth.status(), "the other merchant's card kept its five attempts");
        assertEquals(List.of("VELOCITY_CARD"), codes(sixth));
        assertEquals(
                APPROVED,
                card("new").merchant("m-good").decide(engine, T0 + 40_000).status());
        assertFalse(codes(flood(0).decide(engine, T0 + 40_000)).contains("CARD_UNTRACKED"), "tracked cards stay");
        assertEquals(CAP + 2, engine.trackedCards());
    }

    @Test
    void evictedCardsGiveTheirPlaceBack() {
        for (int i = 0; i < CAP; i++) flood(i).decide(engine, T0 + i * 10L);
        assertEquals(List.of("CARD_UNTRACKED"), codes(flood(CAP).decide(engine, T0 + CAP * 10L)));
        long dayLater = T0 + 25 * 3_600_000L;
        assertEquals(0, engine.evictIdle(dayLater));
        assertEquals(List.of(), codes(flood(CAP).decide(engine, dayLater)));
        assertEquals(1, engine.trackedCards());
    }

    @Test
    void theRebuildAtStartTracksNoMoreThanTheCap() {
        for (int i = 0; i < 3 * CAP; i++) {
            Authorization a = flood(i).auth();
            engine.replay(
                    new HistoricalAttempt(
                            a.card().fingerprint(),
                            a.merchantId(),
                            a.terminalId(),
                            a.amount(),
                            a.currency(),
                            a.merchantCountry(),
                            a.entryMode(),
                            true,
                            T0 + i * 10L),
                    T0 + 3 * CAP * 10L);
        }
        assertEquals(CAP, engine.trackedCards());
    }
}
