package dev.payproc.core.card;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CardKeysTest {
    private static byte[] key(int seed) {
        byte[] k = new byte[32];
        Arrays.fill(k, (byte) seed);
        return k;
    }

    @Test
    void aCheckValuePerEncryptionKeyIdTellsKeysApartWithoutRevealingThem() {
        Map<String, byte[]> checks = new CardKeys(key(1), "k2", key(2), Map.of("k1", key(3))).checkValues();
        assertEquals(java.util.Set.of("k1", "k2"), checks.keySet());
        assertArrayEquals(
                checks.get("k2"),
                new CardKeys(key(9), "k2", key(2)).checkValues().get("k2"),
                "same key");
        assertFalse(Arrays.equals(
                checks.get("k2"),
                new CardKeys(key(1), "k2", key(4)).checkValues().get("k2")));
        assertFalse(Arrays.equals(checks.get("k2"), key(2)));
        assertEquals(32, checks.get("k1").length);
    }
}
