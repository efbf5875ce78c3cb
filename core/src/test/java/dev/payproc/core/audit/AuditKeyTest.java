package dev.payproc.core.audit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class AuditKeyTest {
    @Test
    void macIsHmacSha256() {
        // RFC 4231, test case 2.
        byte[] mac = AuditKey.mac(
                "Jefe".getBytes(StandardCharsets.US_ASCII),
                "what do ya want for nothing?".getBytes(StandardCharsets.US_ASCII));
        assertEquals(
                "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843",
                HexFormat.of().formatHex(mac));
    }

    @Test
    void derivedKeysDifferPerPurposeAndFromTheCheckValue() {
        byte[] raw = new byte[32];
        raw[3] = 9;
        AuditKey key = new AuditKey(raw);
        assertFalse(Arrays.equals(key.derive("chain a"), key.derive("chain b")));
        assertFalse(Arrays.equals(key.derive("chain a"), key.checkValue()));
        assertArrayEquals(key.derive("chain a"), new AuditKey(raw.clone()).derive("chain a"));
        raw[3] = 0;
        assertFalse(Arrays.equals(key.derive("chain a"), new AuditKey(raw).derive("chain a")), "copied, not shared");
    }

    @Test
    void refusesAKeyOfAnotherLengthAndNeverPrintsIt() {
        assertThrows(IllegalArgumentException.class, () -> new AuditKey(new byte[16]));
        assertEquals("AuditKey[redacted]", new AuditKey(new byte[32]).toString());
    }
}
