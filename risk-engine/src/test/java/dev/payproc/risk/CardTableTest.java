package dev.payproc.risk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class CardTableTest {
    private static final String HEX = "0123456789abcdef0123456789abcdef";

    private final CardTable table = new CardTable();
    private final CardQuota any = new CardQuota(Integer.MAX_VALUE);

    @Test
    void eachFingerprintStringIsItsOwnCard() {
        CardHistory hex = table.touch(HEX, any);
        assertSame(hex, table.touch(new String(HEX.toCharArray()), any));
        assertNotSame(hex, table.touch(HEX.toUpperCase(), any), "upper-case hex is another string, so another card");
        assertNotSame(hex, table.touch("0123456789abcdef0123456789abcde", any), "31 digits");
        assertSame(table.touch("c1", any), table.touch("c1", any));
        assertEquals(4, table.size());
    }

    @Test
    void findsEveryCardAcrossRehashesAndEvictsTheLeastRecentlySeenFirst() {
        SplittableRandom random = new SplittableRandom(7);
        byte[] fp = new byte[16];
        List<String> fingerprints = new ArrayList<>();
        List<CardHistory> cards = new ArrayList<>();
        for (int i = 0; i < 5_000; i++) {
            random.nextBytes(fp);
            fingerprints.add(HexFormat.of().formatHex(fp));
            CardHistory c = table.touch(fingerprints.get(i), any);
            c.record(i, 100, 0, 0, false, true, 10, 0.1);
            cards.add(c);
        }
        assertSame(cards.get(0), table.touch(fingerprints.get(0), any), "seen again: now the most recent");
        table.evictIdle(2_499, Integer.MAX_VALUE);
        assertEquals(2_501, table.size(), "cards 1 to 2499 went; card 0 was seen after them");
        for (int i = 0; i < 5_000; i++) {
            boolean kept = i == 0 || i >= 2_500;
            assertEquals(kept, table.touch(fingerprints.get(i), any) == cards.get(i), "card " + i);
        }
    }

    /** Slots of evicted cards are reused: later cards, found again, and evicted in the order they were last seen. */
    @Test
    void reusesTheSlotsOfEvictedCardsAndKeepsTheirOrder() {
        List<String> fingerprints = new ArrayList<>();
        List<CardHistory> cards = new ArrayList<>();
        for (int i = 0; i < 6_000; i++) {
            fingerprints.add(String.format("%032x", i * 0x9E3779B97F4A7C15L));
            CardHistory c = table.touch(fingerprints.get(i), any);
            c.record(i, 100, 0, 0, false, true, 10, 0.1);
            cards.add(c);
            if (i == 2_999) {
                table.evictIdle(1_999, Integer.MAX_VALUE); // cards 0..1999 go: 2,000 free slots
                assertEquals(1_000, table.size());
            }
        }
        // Cards 3000..5999 took the freed slots and 1,000 new ones; 2500 is seen again at a later time.
        table.touch(fingerprints.get(2_500), any).record(10_000, 100, 0, 0, false, true, 10, 0.1);
        table.evictIdle(4_999, 3_000);
        for (int i = 0; i < 6_000; i++) {
            boolean kept = i == 2_500 || i >= 5_000;
            assertEquals(kept, table.touch(fingerprints.get(i), any) == cards.get(i), "card " + i);
        }
    }
}
