package dev.payproc.ledger.commit;

import dev.payproc.core.audit.AuditKey;
import dev.payproc.core.audit.SealKeys;
import io.vertx.core.buffer.Buffer;

/**
 * What a batch statement needs to write seal {@code seq} of {@code chain}: the HMAC pads of that one seal's key
 * ({@link SealKeys}), never the audit key itself.
 */
public record SealLink(String chain, long seq, Buffer innerPad, Buffer outerPad) {
    public static SealLink of(AuditKey key, String chain, long seq) {
        byte[] k = SealKeys.sealKey(key, chain, seq);
        return new SealLink(chain, seq, Buffer.buffer(SealKeys.innerPad(k)), Buffer.buffer(SealKeys.outerPad(k)));
    }

    @Override
    public String toString() {
        return "SealLink[" + chain + " " + seq + "]";
    }
}
