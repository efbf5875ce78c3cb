package dev.payproc.risk.stage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.payproc.core.pipeline.IdempotencyEntry;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class IdempotencyTableTest {
    private static IdempotencyEntry entry() {
        return new IdempotencyEntry(new byte[32]);
    }

    @Test
    void keysAreScopedPerMerchant() {
        IdempotencyTable table = new IdempotencyTable(8);
        IdempotencyEntry a = entry();
        IdempotencyEntry b = entry();
        table.put("m-1", "k", a);
        table.put("m-2", "k", b);
        assertSame(a, table.get("m-1", "k"));
        assertSame(b, table.get("m-2", "k"));
        assertNull(table.get("m-3", "k"));
        assertNull(table.get("m-1", "other"));
        assertEquals(2, table.size());
    }

    @Test
    void aKeyPutAgainIsReplacedInPlaceNotAddedTwice() {
        IdempotencyTable table = new IdempotencyTable(2);
        IdempotencyEntry failed = entry();
        IdempotencyEntry retried = entry();
        table.put("m", "k1", failed);
        table.put("m", "k1", retried);
        table.put("m", "k2", entry());
        assertEquals(2, table.size());
        assertSame(retried, table.get("m", "k1"));
    }

    @Test
    void theOldestKeysAreForgottenFirst() {
        IdempotencyTable table = new IdempotencyTable(3);
        for (int i = 0; i < 5; i++) table.put("m", "k" + i, entry());
        assertEquals(3, table.size());
        assertNull(table.get("m", "k0"));
        assertNull(table.get("m", "k1"));
        for (int i = 2; i < 5; i++) assertNotNull(table.get("m", "k" + i), "k" + i);
    }

    /**
     * Against a model (a map and a queue of insertion order) over many evictions, with keys that collide in the
     * index: every key kept is found with its entry and every key forgotten is absent, so removal never cuts a
     * probe sequence short.
     */
    @Test
    void agreesWithAModelOverManyEvictions() {
        int capacity = 1_000;
        IdempotencyTable table = new IdempotencyTable(capacity);
        Map<String, IdempotencyEntry> model = new HashMap<>();
        ArrayDeque<String> order = new ArrayDeque<>();
        SplittableRandom random = new SplittableRandom(11);
        for (int i = 0; i < 50_000; i++) {
            // Few distinct merchants and short keys: many equal hashes modulo the index size.
            String merchant = "m-" + random.nextInt(3);
            String key = Integer.toString(random.nextInt(20_000), 36);
            String both = merchant + '\u0000' + key;
            IdempotencyEntry e = entry();
            if (!model.containsKey(both)) {
                if (order.size() == capacity) model.remove(order.removeFirst());
                order.addLast(both);
            }
            model.put(both, e);
            table.put(merchant, key, e);
            if (i % 97 == 0) {
                for (int m = 0; m < 3; m++) {
                    for (int k = 0; k < 20_000; k += 7) {
                        String probe = Integer.toString(k, 36);
                        assertSame(
                                model.get("m-" + m + '\u0000' + probe),
                                table.get("m-" + m, probe),
                                "m-" + m + "/" + probe + " at " + i);
                    }
                }
            }
        }
        assertEquals(capacity, table.size());
    }
}
