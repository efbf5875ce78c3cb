package dev.payproc.risk;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

class CardTableTest {
    private static final String HEX = "0123456789abcdef0123456789abcdef";

    private final CardTable table = new CardTable();

    @Test
    void eachFingerprintStringIsItsOwnCard() {
        CardHistory hex = table.touch(HEX);
        assertSame(hex, table.touch(new String(HEX.toCharArray())));
        assertNotSame(hex, table.touch(HEX.toUpperCase()), "upper-case hex is another string, so another card");
        assertNotSame(hex, table.touch("0123456789abcdef0123456789abcde"), "31 digits");
        assertSame(table.touch("c1"), table.touch("c1"));
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
            CardHistory c = table.touch(fingerprints.get(i));
            c.record(i, 100, 0, 0, false, true, 10, 0.1);
            cards.add(c);
        }
        assertSame(cards.get(0), table.touch(fingerprints.get(0)), "seen again: now the most recent");
        table.evictIdle(2_499, Integer.MAX_VALUE);
        assertEquals(2_501, table.size(), "cards 1 to 2499 went; card 0 was seen after them");
        for (int i = 0; i < 5_000; i++) {
            boolean kept = i == 0 || i >= 2_500;
            assertEquals(kept, table.touch(fingerprints.get(i)) == cards.get(i), "card " + i);
        }
    }
}
