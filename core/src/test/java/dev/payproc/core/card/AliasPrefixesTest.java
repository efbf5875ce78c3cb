package dev.payproc.core.card;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class AliasPrefixesTest {
    private static final CardTokenizer TOKENIZER = new CardTokenizer(new CardKeys(filled(3), "k1", filled(4)));

    private static byte[] filled(int b) {
        byte[] k = new byte[32];
        Arrays.fill(k, (byte) b);
        return k;
    }

    private static String token(int i) {
        return TOKENIZER.tokenize("4111111111111111", "12/30", "m-" + i).token();
    }

    @Test
    void holdsEveryAliasAddedAndFewOthers() {
        AliasPrefixes.Builder b = new AliasPrefixes.Builder();
        List<String> aliases = new ArrayList<>();
        for (int i = 0; i < 5_000; i++) { // beyond the builder's first array: it grows
            aliases.add(token(i));
            b.add(token(i));
        }
        AliasPrefixes set = b.build();
        assertEquals(5_000, set.size());
        for (String a : aliases) assertTrue(set.mayContain(a), a);
        int falsePositives = 0;
        for (int i = 5_000; i < 25_000; i++) if (set.mayContain(token(i))) falsePositives++;
        assertTrue(falsePositives <= 1, falsePositives + " of 20,000 other tokens taken for aliases");
    }

    @Test
    void anEmptySetContainsNothing() {
        assertFalse(AliasPrefixes.NONE.mayContain(token(1)));
        assertEquals(0, AliasPrefixes.NONE.size());
        AliasPrefixes built = new AliasPrefixes.Builder().build();
        assertFalse(built.mayContain(token(1)));
        assertFalse(built.mayContain(""), "any string is answered, even one that is no token");
    }

    @Test
    void aTokenSharingAnAliasPrefixIsAMaybeAndDuplicatesAreKeptOnce() {
        String alias = "tok_ABCDEFxxxxxxxxxxxxxxxxxx";
        // 'F' (000101) and 'G' (000110) differ only in the 4 lowest of the six characters' 36 bits: a collision
        String sameFirst32Bits = "tok_ABCDEGyyyyyyyyyyyyyyyyyy";
        String otherPrefix = "tok_ABCDFFxxxxxxxxxxxxxxxxxx";
        assertEquals(AliasPrefixes.prefix(alias), AliasPrefixes.prefix(sameFirst32Bits));
        assertNotEquals(AliasPrefixes.prefix(alias), AliasPrefixes.prefix(otherPrefix));
        AliasPrefixes set = new AliasPrefixes.Builder()
                .add(alias)
                .add(sameFirst32Bits)
                .add(alias)
                .build();
        assertEquals(1, set.size(), "one prefix");
        assertTrue(set.mayContain(alias));
        assertTrue(set.mayContain(sameFirst32Bits), "a collision only costs one read that finds nothing");
        assertFalse(set.mayContain(otherPrefix));
        assertFalse(set.mayContain("tok_short"));
    }
}
