package dev.payproc.core.audit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.MessageDigest;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class SealKeysTest {
    private static final AuditKey KEY = new AuditKey(filled(32, 7));

    private static byte[] filled(int n, int seed) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) b[i] = (byte) (seed * 31 + i * 17);
        return b;
    }

    private static byte[] sha256(byte[]... parts) throws Exception {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        for (byte[] p : parts) sha.update(p);
        return sha.digest();
    }

    /** The construction PostgreSQL runs, sha256(opad || sha256(ipad || m)), is HMAC-SHA256 for any key up to 64 bytes. */
    @Test
    void thePaddedKeysGiveHmacSha256() throws Exception {
        for (int keyLength : new int[] {1, 20, 32, 63, 64}) {
            for (int messageLength : new int[] {0, 1, 32, 64, 65, 1000}) {
                byte[] k = filled(keyLength, keyLength), m = filled(messageLength, messageLength + 1);
                byte[] inner = SealKeys.innerPad(k), outer = SealKeys.outerPad(k);
                assertEquals(SealKeys.BLOCK, inner.length);
                assertEquals(SealKeys.BLOCK, outer.length);
                assertArrayEquals(AuditKey.mac(k, m), sha256(outer, sha256(inner, m)), keyLength + "/" + messageLength);
            }
        }
    }

    @Test
    void eachSealHasItsOwnKeyAndTheLinkHoldsOnlyForItsInputs() {
        byte[] prev = filled(32, 1), digest = filled(32, 2);
        byte[] link = SealKeys.link(KEY, "writer-a", 5, prev, digest);
        assertTrue(SealKeys.linkHolds(KEY, "writer-a", 5, prev, digest, link));
        assertFalse(SealKeys.linkHolds(KEY, "writer-a", 6, prev, digest, link), "another seq");
        assertFalse(SealKeys.linkHolds(KEY, "writer-b", 5, prev, digest, link), "another chain");
        assertFalse(SealKeys.linkHolds(KEY, "writer-a", 5, filled(32, 3), digest, link), "another previous hash");
        assertFalse(SealKeys.linkHolds(KEY, "writer-a", 5, prev, filled(32, 4), link), "another digest");
        assertFalse(SealKeys.linkHolds(new AuditKey(filled(32, 8)), "writer-a", 5, prev, digest, link), "another key");
        assertFalse(
                SealKeys.linkHolds(KEY, "writer-a", 5, prev, digest, SealKeys.unkeyedLink(prev, digest)),
                "the unkeyed link of before V12");
        assertFalse(Arrays.equals(SealKeys.sealKey(KEY, "writer-a", 5), SealKeys.sealKey(KEY, "writer-a", 6)));
        assertArrayEquals(
                KEY.derive("seal writer-a 5"), SealKeys.sealKey(KEY, "writer-a", 5), "the derivation as documented");
        assertArrayEquals(
                AuditKey.mac(KEY.derive("seal writer-a 5"), concat(prev, digest)),
                link,
                "HMAC(k_seal, prev || digest)");
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] c = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }
}
