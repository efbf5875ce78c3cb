package dev.payproc.webhooks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.payproc.core.card.CardKeys;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WebhookSecretsTest {
    private static byte[] key(int b) {
        byte[] k = new byte[32];
        Arrays.fill(k, (byte) b);
        return k;
    }

    private final CardKeys keys = new CardKeys(key(1), "k2", key(2), Map.of("k1", key(3)));
    private final WebhookSecrets secrets = new WebhookSecrets(keys);

    @Test
    void aSecretIsWhsecAnd32RandomBytes() {
        String s = secrets.generate();
        assertTrue(s.matches("whsec_[A-Za-z0-9_-]{43}"), s);
        assertNotEquals(s, secrets.generate());
    }

    @Test
    void sealedUnderTheCurrentKeyWithoutTheSecretInClearAndOpenedBack() {
        String s = secrets.generate();
        WebhookSecrets.Sealed sealed = secrets.seal("whk_1", s);
        assertEquals("k2", sealed.keyId());
        String bytes = new String(sealed.ciphertext(), StandardCharsets.ISO_8859_1);
        assertFalse(bytes.contains(s.substring(6, 20)));
        assertEquals(s, secrets.open("whk_1", sealed));
        assertFalse(Arrays.equals(sealed.ciphertext(), secrets.seal("whk_1", s).ciphertext()), "a fresh IV each time");
    }

    @Test
    void aCiphertextOpensOnlyForItsEndpointAndUnderItsKey() {
        WebhookSecrets.Sealed sealed = secrets.seal("whk_1", "whsec_x");
        IllegalStateException other = assertThrows(IllegalStateException.class, () -> secrets.open("whk_2", sealed));
        assertFalse(other.getMessage().contains("whsec_x"));
        assertThrows(
                IllegalStateException.class,
                () -> secrets.open("whk_1", new WebhookSecrets.Sealed(sealed.ciphertext(), "k1")));
        assertThrows(
                IllegalStateException.class,
                () -> secrets.open("whk_1", new WebhookSecrets.Sealed(sealed.ciphertext(), "k9")));
    }

    @Test
    void aRetiredKeyStillOpensWhatItSealed() {
        WebhookSecrets before = new WebhookSecrets(new CardKeys(key(1), "k1", key(3)));
        WebhookSecrets.Sealed sealed = before.seal("whk_1", "whsec_old");
        assertEquals("whsec_old", secrets.open("whk_1", sealed));
    }
}
