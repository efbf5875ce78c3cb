package dev.payproc.ledger.audit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dev.payproc.core.audit.AuditKey;
import dev.payproc.core.audit.SealKeys;
import dev.payproc.core.card.Sha256;
import dev.payproc.ledger.commit.SealLink;
import dev.payproc.testkit.TestDatabase;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The keyed link as the batch statements compute it in PostgreSQL, {@code sha256(opad || sha256(ipad || prev ||
 * digest))} from the two pads of the seal's key, is the HMAC-SHA256 that verification checks in Java.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SealHmacSqlIT {
    private TestDatabase db;

    @BeforeAll
    void open() {
        db = new TestDatabase();
    }

    @AfterAll
    void close() {
        db.close();
    }

    private byte[] sqlHmac(Buffer inner, Buffer outer, byte[] message) {
        return db.query(
                        "SELECT sha256($2::bytea || sha256($1::bytea || $3::bytea))",
                        inner,
                        outer,
                        Buffer.buffer(message))
                .iterator()
                .next()
                .getBuffer(0)
                .getBytes();
    }

    @Test
    void postgresComputesTheSameHmacAsJava() {
        for (String keyName : new String[] {"a", "b", "the development key"}) {
            AuditKey key = new AuditKey(Sha256.of(keyName));
            for (String chain : new String[] {"writer-1", "legacy-x"}) {
                for (long seq : new long[] {1, 2, 1_000_000_007L}) {
                    SealLink link = SealLink.of(key, chain, seq);
                    for (int len : new int[] {0, 32, 64, 100, 5000}) {
                        byte[] m = new byte[len];
                        for (int i = 0; i < len; i++) m[i] = (byte) (i * 7 + seq);
                        assertArrayEquals(
                                AuditKey.mac(SealKeys.sealKey(key, chain, seq), m),
                                sqlHmac(link.innerPad(), link.outerPad(), m),
                                keyName + " " + chain + " " + seq + " " + len);
                    }
                }
            }
        }
        // Arbitrary keys, not only derived ones (k zero-padded to the block).
        for (int len : new int[] {1, 16, 31, 33, 64}) {
            byte[] k = new byte[len];
            for (int i = 0; i < len; i++) k[i] = (byte) (255 - i * 3);
            byte[] m = "prev || digest".getBytes();
            assertArrayEquals(
                    AuditKey.mac(k, m),
                    sqlHmac(Buffer.buffer(SealKeys.innerPad(k)), Buffer.buffer(SealKeys.outerPad(k)), m));
        }
    }
}
