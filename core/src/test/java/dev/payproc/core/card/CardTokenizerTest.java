package dev.payproc.core.card;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.payproc.core.model.CardOnFile;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class CardTokenizerTest {
    private static final String PAN = "4111111111111111";

    private static CardKeys keys(int seed) {
        byte[] hmac = new byte[32];
        byte[] aes = new byte[32];
        Arrays.fill(hmac, (byte) seed);
        Arrays.fill(aes, (byte) (seed + 1));
        return new CardKeys(hmac, "k" + seed, aes);
    }

    @Test
    void tokensAreStablePerMerchantAndDifferAcrossMerchants() {
        CardTokenizer t = new CardTokenizer(keys(1));
        CardOnFile a = t.tokenize(PAN, "12/30", "m-1");
        CardOnFile again = t.tokenize(PAN, "12/30", "m-1");
        CardOnFile other = t.tokenize(PAN, "12/30", "m-2");
        assertEquals(a.token(), again.token());
        assertNotEquals(a.token(), other.token());
        assertTrue(a.token().matches("tok_[A-Za-z0-9_-]{24}"), a.token());
        // The fingerprint identifies the card everywhere (risk state is per card, not per merchant).
        assertEquals(a.fingerprint(), other.fingerprint());
        assertTrue(a.fingerprint().matches("[0-9a-f]{32}"));
    }

    @Test
    void keysChangeEveryDerivedValue() {
        CardOnFile a = new CardTokenizer(keys(1)).tokenize(PAN, "12/30", "m-1");
        CardOnFile b = new CardTokenizer(keys(7)).tokenize(PAN, "12/30", "m-1");
        assertNotEquals(a.token(), b.token());
        assertNotEquals(a.fingerprint(), b.fingerprint());
    }

    @Test
    void reDeriveGivesTheFingerprintAndTokenTokenizeGivesUnderTheCurrentHmacKey() {
        CardKeys old = keys(1);
        CardOnFile before = new CardTokenizer(old).tokenize(PAN, "12/30", "m-1");
        byte[] newHmac = new byte[32];
        Arrays.fill(newHmac, (byte) 9);
        byte[] newAes = new byte[32];
        Arrays.fill(newAes, (byte) 10);
        // A new HMAC key and a new encryption key, the old one retired: the ciphertext under k1 still decrypts.
        CardTokenizer rotated =
                new CardTokenizer(new CardKeys(newHmac, "k9", newAes, java.util.Map.of("k1", old.encryptionKey())));
        CardTokenizer.Derived derived = rotated.reDerive(before.panCiphertext(), "k1", "m-1");
        CardOnFile fresh = rotated.tokenize(PAN, "12/30", "m-1");
        assertEquals(fresh.fingerprint(), derived.fingerprint());
        assertEquals(fresh.token(), derived.token());
        assertNotEquals(before.fingerprint(), derived.fingerprint(), "derived under the new key, not the old");
        assertNotEquals(before.token(), derived.token());
        assertEquals(
                rotated.tokenize(PAN, "12/30", "m-2").token(),
                rotated.reDerive(before.panCiphertext(), "k1", "m-2").token(),
                "the token is the given merchant's");
        assertThrows(IllegalStateException.class, () -> rotated.reDerive(before.panCiphertext(), "k7", "m-1"));
    }

    @Test
    void masksAllButFirstSixAndLastFourAndHidesAtLeastSixDigitsOfShortPans() {
        assertEquals("411111******1111", CardTokenizer.mask(PAN));
        assertEquals("37828******0005", CardTokenizer.mask("378282246310005"));
        assertEquals("55******4444", CardTokenizer.mask("555555554444"));
        for (int n = 12; n <= 19; n++) {
            String pan = "1234567890123456789".substring(0, n);
            String masked = CardTokenizer.mask(pan);
            assertEquals(n, masked.length());
            int shownFirst = masked.indexOf('*');
            int hidden = (int) masked.chars().filter(c -> c == '*').count();
            assertEquals(pan.substring(0, shownFirst), masked.substring(0, shownFirst), n + " digits");
            assertEquals(pan.substring(n - 4), masked.substring(n - 4), "the last four are shown: " + masked);
            assertEquals(n - 4 - shownFirst, hidden, "one starred run between them: " + masked);
            assertTrue(shownFirst <= 6, "at most the first six: " + masked);
            assertTrue(hidden >= 6, "at least six hidden: " + masked);
            assertEquals(n >= 16 ? 6 : n - 10, shownFirst, "as many of the first six as that allows: " + masked);
        }
    }

    @Test
    void theBinIsEightDigitsFromSixteenDigitPansAndSixBelow() {
        assertEquals("41111111", CardTokenizer.bin(PAN));
        assertEquals(
                "45717360",
                new CardTokenizer(keys(1))
                        .tokenize("4571736000000009", "12/30", "m-1")
                        .bin());
        assertEquals("55555555", CardTokenizer.bin("5555555555554444444"));
        assertEquals("378282", CardTokenizer.bin("378282246310005"));
        assertEquals("555555", CardTokenizer.bin("555555554444"));
    }

    @Test
    void encryptsWithAFreshIvAndDecryptsBack() {
        CardTokenizer t = new CardTokenizer(keys(1));
        byte[] c1 = t.tokenize(PAN, "12/30", "m-1").panCiphertext();
        byte[] c2 = t.tokenize(PAN, "12/30", "m-1").panCiphertext();
        assertFalse(Arrays.equals(c1, c2), "a fresh IV per encryption");
        assertEquals(12 + PAN.length() + 16, c1.length);
        assertFalse(new String(c1, StandardCharsets.ISO_8859_1).contains(PAN));
        assertEquals(PAN, t.decrypt(c1, "k1"));
        assertEquals(PAN, t.decrypt(c2, "k1"));
        assertEquals("k1", t.tokenize(PAN, "12/30", "m-1").keyId());
    }

    @Test
    void tamperedCiphertextOrWrongKeyDoesNotDecrypt() {
        CardTokenizer t = new CardTokenizer(keys(1));
        byte[] c = t.tokenize(PAN, "12/30", "m-1").panCiphertext();
        byte[] tampered = c.clone();
        tampered[20] ^= 1;
        assertThrows(IllegalStateException.class, () -> t.decrypt(tampered, "k1"));
        assertThrows(IllegalStateException.class, () -> new CardTokenizer(keys(3)).decrypt(c, "k1"), "unknown key id");
        CardKeys impostor = new CardKeys(keys(1).hmacKey(), "k1", keys(3).encryptionKey());
        assertThrows(
                IllegalStateException.class,
                () -> new CardTokenizer(impostor).decrypt(c, "k1"),
                "wrong key under the same id");
    }

    @Test
    void rotatedKeysEncryptWithTheNewKeyAndStillDecryptTheOld() {
        CardTokenizer before = new CardTokenizer(keys(1));
        CardOnFile old = before.tokenize(PAN, "12/30", "m-1");
        CardKeys rotated = new CardKeys(
                keys(1).hmacKey(), "k2", keys(5).encryptionKey(), java.util.Map.of("k1", keys(1).encryptionKey()));
        CardTokenizer after = new CardTokenizer(rotated);
        CardOnFile fresh = after.tokenize(PAN, "12/30", "m-1");
        assertEquals("k2", fresh.keyId());
        assertEquals(old.token(), fresh.token(), "tokens and fingerprints do not change with the encryption key");
        assertEquals(PAN, after.decrypt(old.panCiphertext(), old.keyId()));
        assertEquals(PAN, after.decrypt(fresh.panCiphertext(), "k2"));
        assertThrows(IllegalStateException.class, () -> before.decrypt(fresh.panCiphertext(), "k2"));
        assertThrows(
                IllegalArgumentException.class,
                () -> new CardKeys(
                        keys(1).hmacKey(),
                        "k1",
                        keys(1).encryptionKey(),
                        java.util.Map.of("k1", keys(2).encryptionKey())));
    }

    @Test
    void printsNoSecrets() {
        CardOnFile card = new CardTokenizer(keys(1)).tokenize(PAN, "12/30", "m-1");
        assertFalse(card.toString().contains(PAN));
        CardKeys k = keys(1);
        assertEquals("CardKeys[encryptionKeyId=k1, retired=[], keys redacted]", k.toString());
        byte[] copy = k.hmacKey();
        copy[0] = 99;
        assertArrayEquals(keys(1).hmacKey(), k.hmacKey(), "keys are copied out, never shared");
    }

    @Test
    void reEncryptionMovesAPanUnderTheCurrentKeyWithAFreshIv() {
        CardOnFile old = new CardTokenizer(keys(1)).tokenize(PAN, "12/30", "m-1");
        CardTokenizer rotated = new CardTokenizer(new CardKeys(
                keys(1).hmacKey(), "k2", keys(5).encryptionKey(), java.util.Map.of("k1", keys(1).encryptionKey())));
        byte[] moved = rotated.reEncrypt(old.panCiphertext(), "k1");
        assertFalse(Arrays.equals(Arrays.copyOf(moved, 12), Arrays.copyOf(old.panCiphertext(), 12)), "a fresh IV");
        CardTokenizer k2Only = new CardTokenizer(new CardKeys(keys(1).hmacKey(), "k2", keys(5).encryptionKey()));
        assertEquals(PAN, k2Only.decrypt(moved, "k2"));
        assertThrows(IllegalStateException.class, () -> k2Only.reEncrypt(old.panCiphertext(), "k1"), "k1 unknown");
    }
}
